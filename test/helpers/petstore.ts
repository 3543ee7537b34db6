/** Credentials and names from data/petstore.yaml, for tests that drive the demo. */
export const ACCOUNT_ID = "123456789012";
export const REGION = "us-east-1";
export const ADMIN = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
export const AUDITOR = {
  accessKeyId: "AKIAI44QH8DHBEXAMPLE",
  secretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
};
export const ADMIN_ARN = `arn:aws:iam::${ACCOUNT_ID}:user/admin`;
export const PETSTORE_ADMIN_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/PetStoreAdmin`;
export const PETSTORE_CUSTOMER_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/PetStoreCustomer`;
export const SAML_PROVIDER = `arn:aws:iam::${ACCOUNT_ID}:saml-provider/fedsim-idp`;

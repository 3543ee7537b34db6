import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateSAMLProviderCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsError, startTestFedsim, type TestFedsim } from "../../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN, AUDITOR, REGION, SAML_PROVIDER } from "../../helpers/petstore.js";

const NOT_JSON = "{not json";
const NOT_METADATA = "<nope/>";
const READ_PETS = `arn:aws:iam::${ACCOUNT_ID}:policy/PetStoreReadPets`;
const iamResource = (kind: string, name: string) => `arn:aws:iam::${ACCOUNT_ID}:${kind}/${name}`;

/**
 * Every IAM operation that carries a document, each sent a document IAM cannot read. IAM checks only the
 * parameters' shape before authorising: the read-only auditor must learn nothing about its document.
 */
const CASES = [
  {
    action: "CreatePolicy",
    call: (iam: IAMClient) =>
      iam.send(new CreatePolicyCommand({ PolicyName: "Broken", PolicyDocument: NOT_JSON })),
    resource: iamResource("policy", "Broken"),
    code: "MalformedPolicyDocument",
    message: "Syntax errors in policy.",
  },
  {
    action: "CreatePolicyVersion",
    call: (iam: IAMClient) =>
      iam.send(new CreatePolicyVersionCommand({ PolicyArn: READ_PETS, PolicyDocument: NOT_JSON })),
    resource: READ_PETS,
    code: "MalformedPolicyDocument",
    message: "Syntax errors in policy.",
  },
  {
    action: "CreateRole",
    call: (iam: IAMClient) =>
      iam.send(new CreateRoleCommand({ RoleName: "Broken", AssumeRolePolicyDocument: NOT_JSON })),
    resource: iamResource("role", "Broken"),
    code: "MalformedPolicyDocument",
    message: "Syntax errors in policy.",
  },
  {
    action: "UpdateAssumeRolePolicy",
    call: (iam: IAMClient) =>
      iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "PetStoreCustomer", PolicyDocument: NOT_JSON })),
    resource: iamResource("role", "PetStoreCustomer"),
    code: "MalformedPolicyDocument",
    message: "Syntax errors in policy.",
  },
  {
    action: "PutRolePolicy",
    call: (iam: IAMClient) =>
      iam.send(
        new PutRolePolicyCommand({
          RoleName: "PetStoreCustomer",
          PolicyName: "broken",
          PolicyDocument: NOT_JSON,
        }),
      ),
    resource: iamResource("role", "PetStoreCustomer"),
    code: "MalformedPolicyDocument",
    message: "Syntax errors in policy.",
  },
  {
    action: "PutUserPolicy",
    call: (iam: IAMClient) =>
      iam.send(
        new PutUserPolicyCommand({ UserName: "auditor", PolicyName: "broken", PolicyDocument: NOT_JSON }),
      ),
    resource: iamResource("user", "auditor"),
    code: "MalformedPolicyDocument",
    message: "Syntax errors in policy.",
  },
  {
    action: "CreateSAMLProvider",
    call: (iam: IAMClient) =>
      iam.send(new CreateSAMLProviderCommand({ Name: "broken", SAMLMetadataDocument: NOT_METADATA })),
    resource: iamResource("saml-provider", "broken"),
    code: "InvalidInput",
    message: "Could not parse metadata: the root element is nope, not a SAML 2.0 metadata EntityDescriptor",
  },
  {
    action: "UpdateSAMLProvider",
    call: (iam: IAMClient) =>
      iam.send(
        new UpdateSAMLProviderCommand({ SAMLProviderArn: SAML_PROVIDER, SAMLMetadataDocument: NOT_METADATA }),
      ),
    resource: SAML_PROVIDER,
    code: "InvalidInput",
    message: "Could not parse metadata: the root element is nope, not a SAML 2.0 metadata EntityDescriptor",
  },
] as const;

const literal = (s: string) => s.replace(/[/.]/g, "\\$&");

describe("IAM authorises a call before it reads the documents the call carries", () => {
  let fedsim: TestFedsim;
  let admin: IAMClient;
  let auditor: IAMClient;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
    admin = new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 });
    auditor = new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: AUDITOR, maxAttempts: 1 });
  });
  afterAll(() => fedsim.stop());

  for (const c of CASES) {
    it(`${c.action}: a read-only user sending a malformed document is told AccessDenied`, async () => {
      const error = await awsError(() => c.call(auditor));
      expect(error.name).toBe("AccessDenied");
      expect(error.$metadata.httpStatusCode).toBe(403);
      expect(error.message).toMatch(
        new RegExp(
          `^User: arn:aws:iam::${ACCOUNT_ID}:user/auditor is not authorized to perform: iam:${c.action} on resource: ${literal(c.resource)} because no identity-based policy allows the iam:${c.action} action\\. Encoded authorization failure message: \\S+$`,
        ),
      );
    });

    it(`${c.action}: an administrator sending the same document is told ${c.code}`, async () => {
      const error = await awsError(() => c.call(admin));
      expect(error.name).toBe(
        c.code === "InvalidInput" ? "InvalidInputException" : "MalformedPolicyDocumentException",
      );
      expect(error.message).toBe(c.message);
      expect(error.$metadata.httpStatusCode).toBe(400);
    });
  }

  it("still checks a document's shape before authorising: text outside AWS's character set is a ValidationError for anyone", async () => {
    const error = await awsError(() =>
      auditor.send(
        new PutUserPolicyCommand({ UserName: "auditor", PolicyName: "p", PolicyDocument: "\u0100" }),
      ),
    );
    expect(error.name).toBe("ValidationError");
    expect(error.message).toBe(
      "1 validation error detected: Value '\u0100' at 'policyDocument' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+",
    );
  });
});

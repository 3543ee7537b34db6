/** Namespaces, algorithm URIs and AWS endpoints the SAML code checks against. */
export const NS = {
  protocol: "urn:oasis:names:tc:SAML:2.0:protocol",
  assertion: "urn:oasis:names:tc:SAML:2.0:assertion",
  metadata: "urn:oasis:names:tc:SAML:2.0:metadata",
  ds: "http://www.w3.org/2000/09/xmldsig#",
  xsi: "http://www.w3.org/2001/XMLSchema-instance",
  xs: "http://www.w3.org/2001/XMLSchema",
} as const;

export const STATUS_SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";
export const BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

export const ALGORITHMS = {
  envelopedSignature: "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
  excC14n: "http://www.w3.org/2001/10/xml-exc-c14n#",
  excC14nWithComments: "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
  rsaSha1: "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
  rsaSha256: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
  rsaSha512: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
  sha1: "http://www.w3.org/2000/09/xmldsig#sha1",
  sha256: "http://www.w3.org/2001/04/xmlenc#sha256",
  sha512: "http://www.w3.org/2001/04/xmlenc#sha512",
} as const;

/** AWS's own SAML endpoint: the Recipient/Destination every IdP is configured with. */
export const AWS_SAML_ENDPOINT = "https://signin.aws.amazon.com/saml";

/** The partitions whose sign-in endpoints fedsim knows; any other partition is treated as `aws`. */
export type SignInPartition = "aws" | "aws-cn" | "aws-us-gov";

/**
 * Each partition's sign-in service: the global SAML endpoint, its regional form
 * (`https://REGION.signin.aws.amazon.com/saml`, `https://cn-north-1.signin.amazonaws.cn/saml`, ...), other
 * documented spellings, and the audience URN IdPs are told to use there. The IAM guide documents the aws and
 * aws-cn endpoints; the GovCloud host is the console sign-in host of the GovCloud guide, and the two non-aws
 * URNs are what IdP vendors' AWS China/GovCloud guides configure: both are fedsim's reading, not AWS text.
 */
export const SIGN_IN: Record<
  SignInPartition,
  { endpoint: string; regional: RegExp; aliases: readonly string[]; audienceUrns: readonly string[] }
> = {
  aws: {
    endpoint: AWS_SAML_ENDPOINT,
    regional: /^https:\/\/[a-z]{2}(-[a-z]+)+-\d\.signin\.aws\.amazon\.com\/saml$/,
    // AWS's IAM guide also lists /static/saml as an accepted value for its own endpoint.
    aliases: ["https://signin.aws.amazon.com/static/saml"],
    audienceUrns: ["urn:amazon:webservices"],
  },
  "aws-cn": {
    endpoint: "https://signin.amazonaws.cn/saml",
    regional: /^https:\/\/cn(-[a-z]+)+-\d\.signin\.amazonaws\.cn\/saml$/,
    aliases: [],
    audienceUrns: ["urn:amazon:webservices", "urn:amazon:webservices:cn-north-1"],
  },
  "aws-us-gov": {
    endpoint: "https://signin.amazonaws-us-gov.com/saml",
    regional: /^https:\/\/us-gov(-[a-z]+)+-\d\.signin\.amazonaws-us-gov\.com\/saml$/,
    aliases: [],
    audienceUrns: ["urn:amazon:webservices", "urn:amazon:webservices:govcloud"],
  },
};

/** The partition of an ARN (`arn:aws-cn:...` → `aws-cn`); unknown or other partitions give `aws`. */
export function signInPartitionOf(arn: string): SignInPartition {
  const partition = arn.split(":")[1];
  return partition === "aws-cn" || partition === "aws-us-gov" ? partition : "aws";
}

/** STS caps the SAMLAssertion parameter at 100,000 characters. */
export const AWS_MAX_ASSERTION_LENGTH = 100_000;

export const NAMEID_FORMAT_PREFIX = "urn:oasis:names:tc:SAML:2.0:nameid-format:";

export const AWS_ATTRIBUTE = {
  role: "https://aws.amazon.com/SAML/Attributes/Role",
  roleSessionName: "https://aws.amazon.com/SAML/Attributes/RoleSessionName",
  sessionDuration: "https://aws.amazon.com/SAML/Attributes/SessionDuration",
  principalTagPrefix: "https://aws.amazon.com/SAML/Attributes/PrincipalTag:",
  transitiveTagKeys: "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys",
  sourceIdentity: "https://aws.amazon.com/SAML/Attributes/SourceIdentity",
} as const;

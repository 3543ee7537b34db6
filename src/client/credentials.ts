/** Temporary credentials as fedsim's clients hand them on (the AWS credential_process shape's fields). */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** As the AWS SDKs' credential identities hold it, so these credentials can be handed to a client as they are. */
  expiration: Date;
  /** The assumed-role ARN the credentials act as. */
  arn: string;
  /** The session's aws:userid (AssumedRoleId, ROLE_ID:SESSION), when the answer names it. */
  userId?: string;
}

/** A refusal from fedsim, with the AWS error code it answered. */
export class FedsimClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(`${code}: ${message}`);
    this.name = "FedsimClientError";
  }
}

const field = (xml: string, name: string) =>
  new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1]?.replace(/&amp;/g, "&").replace(/&lt;/g, "<");

/** Reads an STS AssumeRole* answer (AWS Query XML), or throws its <Error>. */
export function credentialsFromStsXml(xml: string, status: number): TemporaryCredentials {
  if (status !== 200)
    throw new FedsimClientError(
      field(xml, "Code") ?? "UnknownError",
      field(xml, "Message") ?? xml.slice(0, 200),
      status,
    );
  const read = (name: string) => {
    const value = field(xml, name);
    if (value === undefined)
      throw new FedsimClientError("MalformedResponse", `the STS answer has no ${name}`, status);
    return value;
  };
  return {
    accessKeyId: read("AccessKeyId"),
    secretAccessKey: read("SecretAccessKey"),
    sessionToken: read("SessionToken"),
    expiration: new Date(read("Expiration")),
    arn: read("Arn"),
    userId: field(xml, "AssumedRoleId"),
  };
}

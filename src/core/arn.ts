/** ARN parsing and formatting: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`. */
export interface Arn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  /** Everything after the fifth colon, e.g. `role/path/Name` or `API/stage/GET/pets`. */
  resource: string;
}

/** Returns undefined for anything that is not six colon-separated parts starting with `arn`. */
export function parseArn(value: string): Arn | undefined {
  if (!value.startsWith("arn:")) return undefined;
  const parts = value.split(":");
  if (parts.length < 6) return undefined;
  const [, partition, service, region, accountId] = parts as [string, string, string, string, string];
  if (!partition || !service) return undefined;
  return { partition, service, region, accountId, resource: parts.slice(5).join(":") };
}

/** IAM entity ARN: `arn:aws:iam::ACCOUNT:role/PATH/NAME` (path is `/` or `/a/b/`). */
export function iamArn(
  accountId: string,
  kind: "user" | "role" | "policy" | "saml-provider" | "oidc-provider" | "root",
  name = "",
  path = "/",
): string {
  if (kind === "root") return `arn:aws:iam::${accountId}:root`;
  return `arn:aws:iam::${accountId}:${kind}${path}${name}`;
}

export function assumedRoleArn(accountId: string, roleName: string, sessionName: string): string {
  return `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
}

export function federatedUserArn(accountId: string, name: string): string {
  return `arn:aws:sts::${accountId}:federated-user/${name}`;
}

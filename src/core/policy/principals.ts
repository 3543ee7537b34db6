import { AwsError } from "../../errors.js";
import { iamArn } from "../arn.js";

/** Who is asking, as policies with Principal/NotPrincipal see it. */
export interface EvalPrincipal {
  kind:
    | "user"
    | "root"
    | "assumed-role"
    | "federated-user"
    | "saml"
    | "web-identity"
    | "service"
    | "anonymous";
  /** User, root, session or federated-user ARN; for federation, the provider ARN. */
  arn: string;
  accountId: string;
  /** For role sessions: the role's ARN, which trust and resource policies may name instead of the session. */
  roleArn?: string;
  /** For SAML/OIDC/Cognito federation: the provider as the Federated principal names it. */
  federatedProvider?: string;
  /** For service principals, e.g. lambda.amazonaws.com. */
  service?: string;
}

/** A compiled Principal / NotPrincipal element. */
export interface PrincipalSet {
  anyone: boolean;
  aws: readonly string[];
  federated: readonly string[];
  service: readonly string[];
}

/**
 * How a statement's principal names the caller: `specific` (its own ARN, its role's ARN, its provider,
 * or "*"), `account` (only its account, which delegates to identity policies), or `none`.
 */
export type PrincipalMatch = "specific" | "account" | "none";

export function compilePrincipal(value: unknown, field: string): PrincipalSet {
  if (value === "*") return { anyone: true, aws: [], federated: [], service: [] };
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new AwsError(
      "MalformedPolicyDocument",
      `Invalid principal in policy: ${field} must be "*" or an object`,
    );
  }
  const out = { anyone: false, aws: [] as string[], federated: [] as string[], service: [] as string[] };
  for (const [type, raw] of Object.entries(value)) {
    const values =
      typeof raw === "string"
        ? [raw]
        : Array.isArray(raw) && raw.every((v) => typeof v === "string")
          ? (raw as string[])
          : undefined;
    if (!values || values.length === 0)
      throw new AwsError(
        "MalformedPolicyDocument",
        `Invalid principal in policy: "${type}" must be a string or a list of strings`,
      );
    switch (type) {
      case "AWS":
        for (const v of values) {
          // "You cannot use a wildcard to match part of a principal name or ARN" (Principal element docs).
          if (
            v !== "*" &&
            ((!/^\d{12}$/.test(v) && !/^arn:aws[\w-]*:(iam|sts)::\d{12}:.+$/.test(v)) || /[*?]/.test(v))
          ) {
            throw new AwsError("MalformedPolicyDocument", `Invalid principal in policy: "AWS":"${v}"`);
          }
          if (v === "*") out.anyone = true;
          out.aws.push(v);
        }
        break;
      case "Federated":
        out.federated.push(...values);
        break;
      case "Service":
        out.service.push(...values);
        break;
      case "CanonicalUser":
        break;
      default:
        throw new AwsError(
          "MalformedPolicyDocument",
          `Invalid principal in policy: unknown principal type "${type}"`,
        );
    }
  }
  return out;
}

export function matchPrincipal(set: PrincipalSet, p: EvalPrincipal): PrincipalMatch {
  if (set.anyone) return "specific";
  let best: PrincipalMatch = "none";
  for (const v of set.aws) {
    if (v === p.arn || (p.roleArn !== undefined && v === p.roleArn)) return "specific";
    if (p.kind !== "saml" && p.kind !== "web-identity" && p.kind !== "service" && p.kind !== "anonymous") {
      if (v === p.accountId || v === iamArn(p.accountId, "root"))
        best = p.kind === "root" ? "specific" : "account";
    }
  }
  if (p.federatedProvider !== undefined && set.federated.includes(p.federatedProvider)) return "specific";
  if (p.service !== undefined && set.service.includes(p.service)) return "specific";
  return best;
}

/**
 * Whether a Deny statement's NotPrincipal spares the caller. AWS checks a request principal by principal along
 * its chain (the account, then the role, then the session; or the account, then the user), and the Deny
 * applies at the first level NotPrincipal does not name, so every level must be listed: naming only the user
 * denies the whole account. A caller with a permissions boundary is never spared (both documented at
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html).
 */
export function notPrincipalSpares(set: PrincipalSet, p: EvalPrincipal, hasBoundary: boolean): boolean {
  if (set.anyone) return true;
  if (p.federatedProvider !== undefined) return set.federated.includes(p.federatedProvider);
  if (p.service !== undefined) return set.service.includes(p.service);
  if (p.kind === "anonymous") return false;
  if (hasBoundary) return false;
  const names = (arn: string) => set.aws.includes(arn);
  if (!names(p.accountId) && !names(iamArn(p.accountId, "root"))) return false;
  if (p.kind === "root") return true;
  if (p.roleArn !== undefined && !names(p.roleArn)) return false;
  return names(p.arn);
}

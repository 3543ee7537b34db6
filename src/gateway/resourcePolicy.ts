import { parsePolicy } from "../core/policy/parse.js";
import { expandResourceShorthand } from "./executeApiArn.js";

/**
 * An API's resource policy as stored: the document with API Gateway's `execute-api:/stage/METHOD/path`
 * shorthand expanded to full ARNs (as API Gateway does when a policy is saved), as JSON text. Throws the
 * AwsError MalformedPolicyDocument when the result is not a valid resource policy.
 */
export function resourcePolicyText(
  document: string | Record<string, unknown>,
  api: { region: string; accountId: string; apiId: string },
): string {
  const parsed: unknown = typeof document === "string" ? JSON.parse(document) : document;
  const expand = (value: unknown): unknown =>
    typeof value === "string"
      ? expandResourceShorthand(value, api.region, api.accountId, api.apiId)
      : Array.isArray(value)
        ? value.map(expand)
        : value;
  let out = parsed;
  if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
    const doc = parsed as Record<string, unknown>;
    const statements = doc.Statement;
    const rewrite = (s: unknown) => {
      if (s === null || typeof s !== "object" || Array.isArray(s)) return s;
      const copy = { ...(s as Record<string, unknown>) };
      if (Object.hasOwn(copy, "Resource")) copy.Resource = expand(copy.Resource);
      if (Object.hasOwn(copy, "NotResource")) copy.NotResource = expand(copy.NotResource);
      return copy;
    };
    out = {
      ...doc,
      Statement: Array.isArray(statements) ? statements.map(rewrite) : rewrite(statements),
    };
  }
  const text = JSON.stringify(out);
  parsePolicy(text, { kind: "resource" });
  return text;
}

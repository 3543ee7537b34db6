import { z } from "zod";

/** `${fedsim:oidc}` (expanded to the built-in issuer's URL once fedsim listens) or an http(s) URL. */
const issuer = z
  .string()
  .min(1)
  .refine((v) => {
    if (v === "${fedsim:oidc}") return true;
    try {
      const u = new URL(v);
      return (u.protocol === "https:" || u.protocol === "http:") && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, "an http(s) issuer URL without query or fragment, or ${fedsim:oidc}");

const name = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "1-128 letters, digits, - and _");

/** A header the token is read from: API Gateway's identity source syntax, header sources only. */
const headerSource = (prefix: string) =>
  z
    .string()
    .regex(
      new RegExp(`^${prefix.replace(/\./g, "\\.").replace(/\$/g, "\\$")}[!#$%&'*+.^_\`|~0-9A-Za-z-]+$`),
      `${prefix}HEADER_NAME`,
    );

/**
 * An API's token authorizers, which its routes name: `JWT` (API Gateway HTTP APIs' JWT authorizer: issuer,
 * audiences; keys from the issuer's discovery document) and `COGNITO_USER_POOLS` (REST APIs' Cognito
 * authorizer: user pool ARNs; an ID token, or an access token on routes that require scopes).
 */
export const apiAuthorizerSchema = z.discriminatedUnion("type", [
  z
    .object({
      name,
      type: z.literal("JWT"),
      issuer,
      audiences: z.array(z.string().min(1)).min(1, "at least one audience"),
      identitySource: headerSource("$request.header.").default("$request.header.Authorization"),
    })
    .strict(),
  z
    .object({
      name,
      type: z.literal("COGNITO_USER_POOLS"),
      userPoolArns: z
        .array(
          z
            .string()
            .regex(
              /^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[a-z0-9-]+_[A-Za-z0-9]+$/,
              "a user pool ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID)",
            ),
        )
        .min(1, "at least one user pool ARN"),
      identitySource: headerSource("method.request.header.").default("method.request.header.Authorization"),
    })
    .strict(),
]);

export type ApiAuthorizerConfig = z.output<typeof apiAuthorizerSchema>;

type Path = (string | number)[];

interface ApiRoutesAndAuthorizers {
  routes: readonly { authorization: string; authorizer?: string; scopes?: readonly string[] }[];
  authorizers?: readonly { name: string; type: string }[];
}

/** Each JWT / COGNITO_USER_POOLS route names an authorizer of its own type; no other route names one. */
export function checkApiAuthorizers(
  api: ApiRoutesAndAuthorizers,
  at: Path,
  issue: (path: Path, message: string) => void,
): void {
  const byName = new Map<string, { type: string; index: number }>();
  (api.authorizers ?? []).forEach((a, j) => {
    const first = byName.get(a.name);
    if (first !== undefined)
      issue(
        [...at, "authorizers", j, "name"],
        `duplicate authorizer ${a.name}: already authorizers[${first.index}]`,
      );
    else byName.set(a.name, { type: a.type, index: j });
  });
  api.routes.forEach((r, j) => {
    const here = [...at, "routes", j];
    const tokenRoute = r.authorization === "JWT" || r.authorization === "COGNITO_USER_POOLS";
    if (!tokenRoute) {
      if (r.authorizer !== undefined)
        issue(
          [...here, "authorizer"],
          `an authorizer applies only to JWT and COGNITO_USER_POOLS routes, not ${r.authorization}`,
        );
      if (r.scopes !== undefined)
        issue(
          [...here, "scopes"],
          `scopes apply only to JWT and COGNITO_USER_POOLS routes, not ${r.authorization}`,
        );
      return;
    }
    if (r.authorizer === undefined) {
      issue([...here, "authorizer"], `a ${r.authorization} route names one of the API's authorizers`);
      return;
    }
    const named = byName.get(r.authorizer);
    if (named === undefined)
      issue([...here, "authorizer"], `no authorizer named ${r.authorizer} in this API's authorizers`);
    else if (named.type !== r.authorization)
      issue([...here, "authorizer"], `authorizer ${r.authorizer} is ${named.type}, not ${r.authorization}`);
  });
}

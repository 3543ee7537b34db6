/**
 * An API's token authorizers as the gateway holds them: API Gateway HTTP APIs' `JWT` authorizer (one issuer,
 * its audiences) and REST APIs' `COGNITO_USER_POOLS` authorizer (user pools named by ARN, whose issuer is
 * https://cognito-idp.REGION.amazonaws.com/POOL_ID). Each reads its token from one request header.
 */
export type AuthorizerDefinition =
  | {
      name: string;
      type: "JWT";
      issuer: string;
      audiences: readonly string[];
      /** `$request.header.NAME`; default Authorization. */
      identitySource?: string;
    }
  | {
      name: string;
      type: "COGNITO_USER_POOLS";
      userPoolArns: readonly string[];
      /** `method.request.header.NAME`; default Authorization. */
      identitySource?: string;
    };

export interface CompiledAuthorizer {
  name: string;
  type: "JWT" | "COGNITO_USER_POOLS";
  /** The issuers whose tokens it takes: the JWT authorizer's one, or one per user pool. */
  issuers: readonly string[];
  /** JWT only: aud (or, without aud, client_id) must be one of these. */
  audiences: ReadonlySet<string>;
  /** The lower-case header the token is read from. */
  header: string;
}

const POOL_ARN = /^arn:aws[a-z-]*:cognito-idp:([a-z0-9-]+):\d{12}:userpool\/([a-z0-9-]+_[A-Za-z0-9]+)$/;

/** The `iss` of a user pool's tokens, from the pool's ARN. */
export function userPoolIssuer(arn: string): string {
  const m = POOL_ARN.exec(arn);
  if (!m) throw new TypeError(`not a user pool ARN: ${arn}`);
  return `https://cognito-idp.${m[1]}.amazonaws.com/${m[2]}`;
}

export function compileAuthorizer(def: AuthorizerDefinition): CompiledAuthorizer {
  const source = def.identitySource;
  const header = (source ? source.slice(source.lastIndexOf(".") + 1) : "Authorization").toLowerCase();
  if (def.type === "JWT")
    return { name: def.name, type: "JWT", issuers: [def.issuer], audiences: new Set(def.audiences), header };
  return {
    name: def.name,
    type: "COGNITO_USER_POOLS",
    issuers: def.userPoolArns.map(userPoolIssuer),
    audiences: new Set(),
    header,
  };
}

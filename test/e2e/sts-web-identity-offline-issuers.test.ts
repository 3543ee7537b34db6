import { AssumeRoleWithWebIdentityCommand } from "@aws-sdk/client-sts";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/load.js";
import { awsError, startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { anonymousSts } from "../helpers/saml.js";

const ACCOUNT = "111122223333";
const google = await generateKeyPair("RS256", { extractable: true });
const github = await generateKeyPair("RS256", { extractable: true });
const jwk = async (key: CryptoKey, kid: string) => ({
  ...(await exportJWK(key)),
  kid,
  alg: "RS256",
  use: "sig",
});

/**
 * Issuers fedsim cannot reach offline, given their keys inline in the config: the tests mint tokens for the
 * real issuer names with their own keys, as Google and GitHub Actions would sign them.
 */
const CONFIG = `
accounts:
  - id: "${ACCOUNT}"
    oidcProviders:
      - url: https://accounts.google.com
        clientIds: [web-client.apps.googleusercontent.com]
        jwks: { keys: [${JSON.stringify(await jwk(google.publicKey, "google-1"))}] }
      - url: https://token.actions.githubusercontent.com
        clientIds: [sts.amazonaws.com]
        jwks: { keys: [${JSON.stringify(await jwk(github.publicKey, "github-1"))}] }
    roles:
      - name: AndroidApp
        assumeRolePolicy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: { Federated: accounts.google.com }
              Action: sts:AssumeRoleWithWebIdentity
              Condition:
                StringEquals:
                  "accounts.google.com:aud": android-client.apps.googleusercontent.com
                  "accounts.google.com:oaud": web-client.apps.googleusercontent.com
      - name: GitHubDeploy
        assumeRolePolicy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: { Federated: "arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com" }
              Action: sts:AssumeRoleWithWebIdentity
              Condition:
                StringEquals: { "token.actions.githubusercontent.com:aud": sts.amazonaws.com }
                StringLike: { "token.actions.githubusercontent.com:sub": "repo:petstore/*:ref:refs/heads/main" }
`;

describe("AssumeRoleWithWebIdentity for issuers whose keys the config gives", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim({ config: { file: "inline-jwks.yaml", config: parseConfigText(CONFIG) } });
  });
  afterAll(() => fedsim.stop());

  const mint = (key: CryptoKey, kid: string, claims: Record<string, unknown>) => {
    const iat = Math.floor(fedsim.clock.now().getTime() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid })
      .setIssuedAt(iat)
      .setExpirationTime(iat + 300)
      .sign(key);
  };
  const assume = (role: string, token: string) =>
    anonymousSts(fedsim.url).send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
        RoleSessionName: "offline",
        WebIdentityToken: token,
      }),
    );

  it("reads a Google token's azp as accounts.google.com:aud and its aud as :oaud", async () => {
    const token = await mint(google.privateKey, "google-1", {
      iss: "https://accounts.google.com",
      sub: "110169484474386276334",
      aud: "web-client.apps.googleusercontent.com",
      azp: "android-client.apps.googleusercontent.com",
    });
    const out = await assume("AndroidApp", token);
    expect(out).toMatchObject({
      SubjectFromWebIdentityToken: "110169484474386276334",
      Provider: "https://accounts.google.com",
      Audience: "web-client.apps.googleusercontent.com",
    });
  });

  it("takes a GitHub Actions token for a branch the trust policy names, and refuses another branch", async () => {
    const claims = { iss: "https://token.actions.githubusercontent.com", aud: "sts.amazonaws.com" };
    const main = await mint(github.privateKey, "github-1", {
      ...claims,
      sub: "repo:petstore/api:ref:refs/heads/main",
    });
    expect((await assume("GitHubDeploy", main)).AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${ACCOUNT}:assumed-role/GitHubDeploy/offline`,
    );
    const feature = await mint(github.privateKey, "github-1", {
      ...claims,
      sub: "repo:petstore/api:ref:refs/heads/feature",
    });
    const error = await awsError(() => assume("GitHubDeploy", feature));
    expect(error.name).toBe("AccessDenied");
    expect(error.message).toBe("Not authorized to perform sts:AssumeRoleWithWebIdentity");
  });

  it("refuses a token for the GitHub issuer signed with Google's key, under Google's kid", async () => {
    const forged = await mint(google.privateKey, "google-1", {
      iss: "https://token.actions.githubusercontent.com",
      aud: "sts.amazonaws.com",
      sub: "repo:petstore/api:ref:refs/heads/main",
    });
    const error = await awsError(() => assume("GitHubDeploy", forged));
    expect(error.name).toBe("InvalidIdentityTokenException");
    expect(error.message).toBe('The issuer\'s JWKS has no key with kid "google-1".');
  });
});

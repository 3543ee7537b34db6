import { describe, expect, it } from "vitest";
import { SOURCE_IDENTITY_CLAIM, sessionTagClaims, TAGS_CLAIM } from "../../../src/core/oidc/awsClaims.js";
import type { TokenClaims } from "../../../src/core/oidc/claims.js";

const claims = (extra: Record<string, unknown>): TokenClaims => ({
  iss: "https://issuer.example",
  sub: "alice",
  aud: "app",
  exp: 2,
  iat: 1,
  ...extra,
});
const tags = (value: unknown) => sessionTagClaims(claims({ [TAGS_CLAIM]: value }));

describe("session tags and source identity from a token's AWS claims", () => {
  it("reads principal_tags (lists of one string), transitive_tag_keys and source_identity", () => {
    expect(
      sessionTagClaims(
        claims({
          [TAGS_CLAIM]: {
            principal_tags: { team: ["admins"], CostCenter: ["987654"] },
            transitive_tag_keys: ["costcenter"],
          },
          [SOURCE_IDENTITY_CLAIM]: "alice@petstore",
        }),
      ),
    ).toEqual({
      tags: [
        { key: "team", value: "admins" },
        { key: "CostCenter", value: "987654" },
      ],
      transitiveTagKeys: ["costcenter"],
      sourceIdentity: "alice@petstore",
    });
  });

  it("gives no tags and no source identity for a token without the claims", () => {
    expect(sessionTagClaims(claims({}))).toEqual({
      tags: [],
      transitiveTagKeys: [],
      sourceIdentity: undefined,
    });
  });

  it("refuses claims that break AssumeRole's tag rules, saying which", () => {
    const cases: [unknown, string][] = [
      ["team=admins", `The token's ${TAGS_CLAIM} claim must be a JSON object.`],
      [
        { principal_tags: { team: ["a", "b"] } },
        "The session tag team must be a list of one string in the token.",
      ],
      [
        { principal_tags: { "aws:team": ["a"] } },
        "The session tag key aws:team in the token is not a valid tag key.",
      ],
      [
        { principal_tags: { team: ["a*"] } },
        "The value of session tag team in the token is not a valid tag value.",
      ],
      [
        { principal_tags: { team: ["a"], TEAM: ["b"] } },
        "The token names session tag TEAM twice (tag keys ignore case).",
      ],
      [
        { principal_tags: { team: ["a"] }, transitive_tag_keys: ["project"] },
        "The transitive tag key project in the token is not one of its principal_tags.",
      ],
      [
        { principal_tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, ["v"]])) },
        "The token carries 51 session tags; at most 50 are allowed.",
      ],
    ];
    for (const [value, problem] of cases) expect(tags(value)).toEqual({ problem });
    expect(sessionTagClaims(claims({ [SOURCE_IDENTITY_CLAIM]: "a" }))).toEqual({
      problem: `The token's ${SOURCE_IDENTITY_CLAIM} claim must be 2-64 characters of letters, digits and +=,.@_-.`,
    });
  });
});

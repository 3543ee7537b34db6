import { describe, expect, it } from "vitest";
import { allow, decide } from "./helpers.js";

const homeDir = allow({ Action: "s3:GetObject", Resource: "arn:aws:s3:::home/${aws:username}/*" });

describe("policy variables", () => {
  it("substitutes ${aws:username} in Resource", () => {
    expect(
      decide(homeDir, {
        resource: "arn:aws:s3:::home/carol/notes.txt",
        context: { "aws:username": "carol" },
      }),
    ).toBe("allowed");
    expect(
      decide(homeDir, { resource: "arn:aws:s3:::home/dave/notes.txt", context: { "aws:username": "carol" } }),
    ).toBe("implicitDeny");
  });

  it("substitutes variables in any ARN component, their own colons notwithstanding", () => {
    const p = allow({
      Action: "s3:GetObject",
      Resource: "arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}",
    });
    const context = { "aws:PrincipalAccount": "111122223333", "aws:username": "carol" };
    expect(decide(p, { resource: "arn:aws:iam::111122223333:user/carol", context })).toBe("allowed");
    expect(decide(p, { resource: "arn:aws:iam::444455556666:user/carol", context })).toBe("implicitDeny");
    const regional = allow({ Action: "s3:*", Resource: "arn:aws:ec2:${aws:RequestedRegion}:*:instance/*" });
    const ec2 = "arn:aws:ec2:eu-west-1:111122223333:instance/i-1";
    expect(decide(regional, { resource: ec2, context: { "aws:RequestedRegion": "eu-west-1" } })).toBe(
      "allowed",
    );
    expect(decide(regional, { resource: ec2, context: { "aws:RequestedRegion": "us-east-1" } })).toBe(
      "implicitDeny",
    );
  });

  it("makes an element with a missing variable match nothing", () => {
    expect(decide(homeDir, { resource: "arn:aws:s3:::home//notes.txt" })).toBe("implicitDeny");
  });

  it("uses the default when the key is missing", () => {
    const p = allow({
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::home/${aws:PrincipalTag/team, 'shared'}/*",
    });
    expect(decide(p, { resource: "arn:aws:s3:::home/shared/a" })).toBe("allowed");
    expect(
      decide(p, { resource: "arn:aws:s3:::home/ops/a", context: { "aws:PrincipalTag/team": "ops" } }),
    ).toBe("allowed");
  });

  it("substitutes federation keys such as ${cognito-identity.amazonaws.com:sub} and ${saml:sub}", () => {
    const p = allow({
      Action: "s3:*",
      Resource: ["arn:aws:s3:::b/${cognito-identity.amazonaws.com:sub}/*", "arn:aws:s3:::s/${saml:sub}/*"],
    });
    expect(
      decide(p, {
        resource: "arn:aws:s3:::b/us-east-1:abc/x",
        context: { "cognito-identity.amazonaws.com:sub": "us-east-1:abc" },
      }),
    ).toBe("allowed");
    expect(decide(p, { resource: "arn:aws:s3:::s/alice/x", context: { "saml:sub": "alice" } })).toBe(
      "allowed",
    );
  });

  it("substitutes provider keys like ${www.amazon.com:user_id}", () => {
    const p = allow({ Action: "s3:*", Resource: "arn:aws:s3:::b/${www.amazon.com:user_id}" });
    expect(
      decide(p, {
        resource: "arn:aws:s3:::b/amzn1.account.X",
        context: { "www.amazon.com:user_id": "amzn1.account.X" },
      }),
    ).toBe("allowed");
  });

  it("treats ${*}, ${?} and ${$} as literal characters", () => {
    const p = allow({ Action: "s3:*", Resource: "arn:aws:s3:::b/${*}${?}${$}" });
    expect(decide(p, { resource: "arn:aws:s3:::b/*?$" })).toBe("allowed");
    expect(decide(p, { resource: "arn:aws:s3:::b/abc" })).toBe("implicitDeny");
  });

  it("never lets a substituted value act as a wildcard", () => {
    expect(decide(homeDir, { resource: "arn:aws:s3:::home/carol/x", context: { "aws:username": "*" } })).toBe(
      "implicitDeny",
    );
  });

  it("substitutes variables in condition values, including ${aws:SourceIp}-style keys", () => {
    const p = allow({
      Action: "s3:*",
      Resource: "*",
      Condition: { StringEquals: { "s3:prefix": "${aws:userid}/" } },
    });
    expect(decide(p, { context: { "aws:userid": "AIDA1", "s3:prefix": "AIDA1/" } })).toBe("allowed");
    expect(decide(p, { context: { "aws:userid": "AIDA1", "s3:prefix": "AIDA2/" } })).toBe("implicitDeny");
  });

  it("keeps ${...} literal under Version 2008-10-17, which has no variables", () => {
    const p = {
      Version: "2008-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::home/${aws:username}/*" }],
    };
    expect(
      decide(p, { resource: "arn:aws:s3:::home/${aws:username}/x", context: { "aws:username": "carol" } }),
    ).toBe("allowed");
    expect(decide(p, { resource: "arn:aws:s3:::home/carol/x", context: { "aws:username": "carol" } })).toBe(
      "implicitDeny",
    );
  });
});

describe("Not* elements and wildcards", () => {
  it("matches actions case-insensitively with * and ?", () => {
    const p = allow({ Action: "S3:get?bject*", Resource: "*" });
    expect(decide(p, { action: "s3:GetObjectAcl" })).toBe("allowed");
    expect(decide(p, { action: "s3:PutObject" })).toBe("implicitDeny");
  });
  it("NotAction allows everything but the listed actions", () => {
    const p = allow({ NotAction: "iam:*", Resource: "*" });
    expect(decide(p, { action: "s3:PutObject" })).toBe("allowed");
    expect(decide(p, { action: "iam:CreateUser" })).toBe("implicitDeny");
  });
  it("NotResource allows everything but the listed resources", () => {
    const p = allow({ Action: "s3:*", NotResource: "arn:aws:s3:::secret/*" });
    expect(decide(p, { resource: "arn:aws:s3:::public/a" })).toBe("allowed");
    expect(decide(p, { resource: "arn:aws:s3:::secret/a" })).toBe("implicitDeny");
  });
  it("Deny with NotAction denies everything else (AWS's 'deny all but' pattern)", () => {
    const p = [
      allow({ Action: "*", Resource: "*" }),
      {
        Version: "2012-10-17",
        Statement: [{ Effect: "Deny", NotAction: ["iam:Get*", "sts:*"], Resource: "*" }],
      },
    ];
    expect(decide(p, { action: "iam:GetUser" })).toBe("allowed");
    expect(decide(p, { action: "s3:GetObject" })).toBe("explicitDeny");
  });
  it("matches resources case-sensitively and wildcards across '/' in the resource part", () => {
    const p = allow({ Action: "s3:*", Resource: "arn:aws:s3:::bucket/*" });
    expect(decide(p, { resource: "arn:aws:s3:::bucket/a/b/c" })).toBe("allowed");
    expect(decide(p, { resource: "arn:aws:s3:::Bucket/a" })).toBe("implicitDeny");
  });
  it("matches execute-api ARNs with method and path", () => {
    const p = allow({
      Action: "execute-api:Invoke",
      Resource: "arn:aws:execute-api:us-east-1:123456789012:*/*/GET/pets/*",
    });
    expect(
      decide(p, {
        action: "execute-api:Invoke",
        resource: "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/pets/7",
      }),
    ).toBe("allowed");
    expect(
      decide(p, {
        action: "execute-api:Invoke",
        resource: "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/POST/pets",
      }),
    ).toBe("implicitDeny");
  });
});

describe("policy variables named like Object.prototype members", () => {
  it.each(["toString", "constructor", "__proto__", "hasOwnProperty"])(
    "resolves ${%s} from the request alone",
    (name) => {
      const p = allow({ Action: "s3:GetObject", Resource: `arn:aws:s3:::home/\${${name}}/*` });
      const resource = "arn:aws:s3:::home/carol/notes.txt";
      expect(decide(p, { resource })).toBe("implicitDeny");
      expect(decide(p, { resource, context: JSON.parse(`{${JSON.stringify(name)}:"carol"}`) })).toBe(
        "allowed",
      );
    },
  );
});

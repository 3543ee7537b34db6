import { describe, expect, it } from "vitest";
import { inTimeZone } from "../../helpers/timeZone.js";
import { conditionAllows as allows } from "./helpers.js";

describe("string operators", () => {
  it("StringEquals is case-sensitive; any listed value may match", () => {
    expect(allows({ StringEquals: { "aws:username": ["alice", "bob"] } }, { "aws:username": "bob" })).toBe(
      true,
    );
    expect(allows({ StringEquals: { "aws:username": "bob" } }, { "aws:username": "Bob" })).toBe(false);
  });
  it("StringEqualsIgnoreCase ignores case", () => {
    expect(allows({ StringEqualsIgnoreCase: { "aws:username": "BOB" } }, { "aws:username": "bob" })).toBe(
      true,
    );
    expect(allows({ StringNotEqualsIgnoreCase: { "aws:username": "BOB" } }, { "aws:username": "bob" })).toBe(
      false,
    );
  });
  it("StringNotEquals holds when the value is none of those listed", () => {
    expect(
      allows({ StringNotEquals: { "aws:username": ["alice", "bob"] } }, { "aws:username": "carol" }),
    ).toBe(true);
    expect(allows({ StringNotEquals: { "aws:username": ["alice", "bob"] } }, { "aws:username": "bob" })).toBe(
      false,
    );
  });
  it("StringLike matches * and ? wildcards, case-sensitively", () => {
    expect(allows({ StringLike: { "s3:prefix": "home/*/docs?" } }, { "s3:prefix": "home/carol/docs1" })).toBe(
      true,
    );
    expect(allows({ StringLike: { "s3:prefix": "home/*" } }, { "s3:prefix": "HOME/carol" })).toBe(false);
    expect(allows({ StringNotLike: { "s3:prefix": "home/*" } }, { "s3:prefix": "tmp/x" })).toBe(true);
  });
  it("treats regular-expression characters in values literally", () => {
    expect(allows({ StringLike: { "aws:username": "a.c" } }, { "aws:username": "abc" })).toBe(false);
    expect(allows({ StringLike: { "aws:username": "a+(b)" } }, { "aws:username": "a+(b)" })).toBe(true);
  });
  it("condition key names are case-insensitive", () => {
    expect(allows({ StringEquals: { "AWS:UserName": "bob" } }, { "aws:username": "bob" })).toBe(true);
  });
});

describe("numeric operators", () => {
  const key = "s3:max-keys";
  it.each([
    ["NumericEquals", "10", "10", true],
    ["NumericEquals", "10", "10.0", true],
    ["NumericNotEquals", "10", "11", true],
    ["NumericLessThan", "10", "9", true],
    ["NumericLessThan", "10", "10", false],
    ["NumericLessThanEquals", "10", "10", true],
    ["NumericGreaterThan", "10", "11", true],
    ["NumericGreaterThanEquals", "10", "9", false],
  ])("%s %s against %s is %s", (op, policy, request, expected) => {
    expect(allows({ [op]: { [key]: policy } }, { [key]: request })).toBe(expected);
  });
  it("does not match a value that is not a number", () => {
    expect(allows({ NumericLessThan: { [key]: "10" } }, { [key]: "ten" })).toBe(false);
    // Nor does the negated operator: a value of the wrong type fails the comparison either way.
    expect(allows({ NumericNotEquals: { [key]: "10" } }, { [key]: "ten" })).toBe(false);
  });
});

describe("date operators", () => {
  const key = "aws:CurrentTime";
  it.each([
    ["DateLessThan", "2026-01-01T00:00:00Z", "2025-12-31T23:59:59Z", true],
    ["DateLessThan", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", false],
    ["DateLessThanEquals", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", true],
    ["DateGreaterThan", "2026-01-01", "2026-01-02T00:00:00Z", true],
    ["DateGreaterThanEquals", "2026-01-01T00:00:00Z", "2025-01-01T00:00:00Z", false],
    ["DateEquals", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000Z", true],
    ["DateNotEquals", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", true],
  ])("%s %s against %s is %s", (op, policy, request, expected) => {
    expect(allows({ [op]: { [key]: policy } }, { [key]: request })).toBe(expected);
  });
  it("accepts epoch seconds on either side", () => {
    expect(
      allows({ DateEquals: { "aws:EpochTime": "2020-01-01T00:00:00Z" } }, { "aws:EpochTime": "1577836800" }),
    ).toBe(true);
  });
  it("reads a time without a zone as UTC, whatever the host's time zone", () => {
    inTimeZone("America/New_York", () => {
      for (const written of [
        "2020-01-01T00:00:00",
        "2020-01-01 00:00",
        "2020-01-01T05:00:00+05:00",
        "2020-01-01",
      ])
        expect(allows({ DateEquals: { "aws:EpochTime": written } }, { "aws:EpochTime": "1577836800" })).toBe(
          true,
        );
    });
  });
  it("fails DateNotEquals, like DateEquals, for a value that is not a date", () => {
    expect(allows({ DateNotEquals: { [key]: "2026-01-01T00:00:00Z" } }, { [key]: "yesterday" })).toBe(false);
  });
  it("accepts epoch seconds on either side, too", () => {
    expect(
      allows({ DateGreaterThan: { "aws:EpochTime": "1700000000" } }, { "aws:EpochTime": "1800000000" }),
    ).toBe(true);
    expect(
      allows(
        { DateLessThan: { "aws:CurrentTime": "1800000000" } },
        { "aws:CurrentTime": "2020-01-01T00:00:00Z" },
      ),
    ).toBe(true);
  });
});

describe("Bool, BinaryEquals, Null", () => {
  it("Bool compares true/false case-insensitively, and booleans in the context", () => {
    expect(allows({ Bool: { "aws:SecureTransport": "false" } }, { "aws:SecureTransport": false })).toBe(true);
    expect(allows({ Bool: { "aws:SecureTransport": "TRUE" } }, { "aws:SecureTransport": "true" })).toBe(true);
    expect(allows({ Bool: { "aws:SecureTransport": "true" } }, { "aws:SecureTransport": false })).toBe(false);
  });
  it("BinaryEquals compares base64 values", () => {
    expect(allows({ BinaryEquals: { "k:bin": "QmluYXJ5VmFsdWU=" } }, { "k:bin": "QmluYXJ5VmFsdWU=" })).toBe(
      true,
    );
    expect(allows({ BinaryEquals: { "k:bin": "QmluYXJ5VmFsdWU=" } }, { "k:bin": "b3RoZXI=" })).toBe(false);
  });
  it("Null true means the key is absent, false that it is present", () => {
    expect(allows({ Null: { "aws:TokenIssueTime": "true" } }, {})).toBe(true);
    expect(
      allows({ Null: { "aws:TokenIssueTime": "true" } }, { "aws:TokenIssueTime": "2026-01-01T00:00:00Z" }),
    ).toBe(false);
    expect(
      allows({ Null: { "aws:TokenIssueTime": "false" } }, { "aws:TokenIssueTime": "2026-01-01T00:00:00Z" }),
    ).toBe(true);
  });
});

describe("IP address operators", () => {
  it("matches IPv4 CIDR blocks and single addresses", () => {
    expect(
      allows({ IpAddress: { "aws:SourceIp": "203.0.113.0/24" } }, { "aws:SourceIp": "203.0.113.9" }),
    ).toBe(true);
    expect(
      allows({ IpAddress: { "aws:SourceIp": "203.0.113.0/24" } }, { "aws:SourceIp": "203.0.114.9" }),
    ).toBe(false);
    expect(allows({ IpAddress: { "aws:SourceIp": "127.0.0.1" } }, { "aws:SourceIp": "127.0.0.1" })).toBe(
      true,
    );
  });
  it("matches IPv6 blocks and treats an IPv4-mapped address as IPv4", () => {
    expect(
      allows({ IpAddress: { "aws:SourceIp": "2001:db8::/32" } }, { "aws:SourceIp": "2001:db8:1::5" }),
    ).toBe(true);
    expect(
      allows({ IpAddress: { "aws:SourceIp": "10.0.0.0/8" } }, { "aws:SourceIp": "::ffff:10.1.2.3" }),
    ).toBe(true);
    // A block may be written mapped too, its prefix counting the 96 bits of the mapping.
    for (const block of ["::ffff:10.1.2.0/120", "::ffff:a01:200/120"]) {
      expect(allows({ IpAddress: { "aws:SourceIp": block } }, { "aws:SourceIp": "10.1.2.3" })).toBe(true);
      expect(allows({ IpAddress: { "aws:SourceIp": block } }, { "aws:SourceIp": "10.1.3.3" })).toBe(false);
    }
    // The same mapped address written in hex.
    expect(
      allows({ IpAddress: { "aws:SourceIp": "10.0.0.0/8" } }, { "aws:SourceIp": "::ffff:a01:203" }),
    ).toBe(true);
  });
  it("NotIpAddress holds outside every listed block", () => {
    expect(
      allows(
        { NotIpAddress: { "aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"] } },
        { "aws:SourceIp": "203.0.113.1" },
      ),
    ).toBe(true);
    expect(allows({ NotIpAddress: { "aws:SourceIp": ["10.0.0.0/8"] } }, { "aws:SourceIp": "10.9.9.9" })).toBe(
      false,
    );
  });
  it("does not match garbage", () => {
    expect(allows({ IpAddress: { "aws:SourceIp": "10.0.0.0/8" } }, { "aws:SourceIp": "not-an-ip" })).toBe(
      false,
    );
    expect(allows({ NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } }, { "aws:SourceIp": "not-an-ip" })).toBe(
      false,
    );
  });
});

describe("ARN operators", () => {
  it("ArnLike and ArnEquals match segment by segment with wildcards", () => {
    const arn = "arn:aws:iam::111122223333:role/team/Admin";
    expect(
      allows({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/team/*" } }, { "aws:PrincipalArn": arn }),
    ).toBe(true);
    expect(allows({ ArnEquals: { "aws:PrincipalArn": arn } }, { "aws:PrincipalArn": arn })).toBe(true);
    expect(
      allows(
        { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/other/*" } },
        { "aws:PrincipalArn": arn },
      ),
    ).toBe(true);
    expect(allows({ ArnNotEquals: { "aws:PrincipalArn": arn } }, { "aws:PrincipalArn": arn })).toBe(false);
  });
  it("does not let a wildcard in one ARN segment cross into the next", () => {
    const pattern = "arn:aws:iam::*:role/x";
    expect(
      allows(
        { ArnLike: { "aws:SourceArn": pattern } },
        { "aws:SourceArn": "arn:aws:iam::111122223333:role/x" },
      ),
    ).toBe(true);
    expect(
      allows(
        { ArnLike: { "aws:SourceArn": pattern } },
        { "aws:SourceArn": "arn:aws:iam::111122223333:extra:role/x" },
      ),
    ).toBe(false);
    expect(
      allows({ ArnLike: { "aws:SourceArn": "arn:aws:s3:::*" } }, { "aws:SourceArn": "arn:aws:s3:::bucket" }),
    ).toBe(true);
  });
  it("compares the six components one by one: a shorter pattern matches no ARN, a non-ARN value fails", () => {
    const arn = "arn:aws:iam::111122223333:user/x";
    expect(allows({ ArnLike: { "aws:SourceArn": "arn:aws:iam::*" } }, { "aws:SourceArn": arn })).toBe(false);
    expect(allows({ ArnLike: { "aws:SourceArn": "*" } }, { "aws:SourceArn": arn })).toBe(true);
    expect(allows({ ArnNotLike: { "aws:SourceArn": "arn:aws:s3:::*" } }, { "aws:SourceArn": "nope" })).toBe(
      false,
    );
  });
});

describe("missing keys, IfExists and set operators", () => {
  it("a positive operator on a missing key does not match; a negated one does", () => {
    expect(allows({ StringEquals: { "aws:PrincipalTag/team": "a" } }, {})).toBe(false);
    expect(allows({ StringNotEquals: { "aws:PrincipalTag/team": "a" } }, {})).toBe(true);
  });
  it("...IfExists matches when the key is missing and checks it when present", () => {
    expect(allows({ StringEqualsIfExists: { "ec2:InstanceType": "t3.micro" } }, {})).toBe(true);
    expect(
      allows(
        { StringEqualsIfExists: { "ec2:InstanceType": "t3.micro" } },
        { "ec2:InstanceType": "m5.large" },
      ),
    ).toBe(false);
  });
  it("ForAllValues holds when every request value is listed, and vacuously when there are none", () => {
    const c = { "ForAllValues:StringEquals": { "aws:TagKeys": ["env", "team"] } };
    expect(allows(c, { "aws:TagKeys": ["env"] })).toBe(true);
    expect(allows(c, { "aws:TagKeys": ["env", "cost"] })).toBe(false);
    expect(allows(c, {})).toBe(true);
    // An empty string is a null data set: true as well (AWS's multivalued-key examples).
    expect(allows(c, { "aws:TagKeys": [""] })).toBe(true);
  });
  it("ForAnyValue holds when at least one request value is listed, never when there are none", () => {
    const c = { "ForAnyValue:StringEquals": { "aws:TagKeys": ["env"] } };
    expect(allows(c, { "aws:TagKeys": ["cost", "env"] })).toBe(true);
    expect(allows(c, { "aws:TagKeys": ["cost"] })).toBe(false);
    expect(allows(c, {})).toBe(false);
    expect(allows(c, { "aws:TagKeys": [""] })).toBe(false);
  });
  it("ForAllValues with a negated operator needs every value to be unlisted", () => {
    const c = { "ForAllValues:StringNotEquals": { "aws:TagKeys": ["secret"] } };
    expect(allows(c, { "aws:TagKeys": ["env", "team"] })).toBe(true);
    expect(allows(c, { "aws:TagKeys": ["env", "secret"] })).toBe(false);
  });
  it("several keys in a block must all hold, and several blocks too", () => {
    const c = {
      StringEquals: { "aws:username": "bob", "aws:PrincipalTag/team": "ops" },
      Bool: { "aws:SecureTransport": "true" },
    };
    expect(
      allows(c, { "aws:username": "bob", "aws:PrincipalTag/team": "ops", "aws:SecureTransport": true }),
    ).toBe(true);
    expect(
      allows(c, { "aws:username": "bob", "aws:PrincipalTag/team": "dev", "aws:SecureTransport": true }),
    ).toBe(false);
    expect(
      allows(c, { "aws:username": "bob", "aws:PrincipalTag/team": "ops", "aws:SecureTransport": false }),
    ).toBe(false);
  });
});

describe("condition keys named like Object.prototype members", () => {
  it.each(["toString", "constructor", "hasOwnProperty", "__proto__", "valueOf"])(
    "reads the key %s from the request alone",
    (key) => {
      // JSON text, so that __proto__ is an own key as in a policy document, not the object's prototype.
      const condition = JSON.parse(`{"StringEquals":{${JSON.stringify(key)}:"x"}}`);
      const present = JSON.parse(`{${JSON.stringify(key)}:"x"}`);
      expect(allows(condition, present)).toBe(true);
      expect(allows(condition, {})).toBe(false);
      expect(allows(JSON.parse(`{"Null":{${JSON.stringify(key)}:"true"}}`), {})).toBe(true);
    },
  );
});

/**
 * A SigV4 claim that says something twice is refused, not read once: whichever copy a parser keeps, another
 * reader (a proxy, a log, a second verifier) may keep the other.
 */
import { describe, expect, it } from "vitest";
import { parseAuthorization } from "../../../src/core/sigv4/parseAuthorization.js";
import type { SignableRequest } from "../../../src/core/sigv4/types.js";
import { isAwsError } from "../../../src/errors.js";

const CREDENTIAL = "AKIDEXAMPLE/20261125/us-east-1/sts/aws4_request";
const SIGNATURE = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

function withAuthorization(...authorization: string[]): SignableRequest {
  return {
    method: "POST",
    path: "/",
    query: "",
    rawHeaders: [
      "host",
      "x",
      "x-amz-date",
      "20261125T120000Z",
      ...authorization.flatMap((a) => ["Authorization", a]),
    ],
  };
}

function presigned(query: string): SignableRequest {
  return { method: "GET", path: "/", query, rawHeaders: ["host", "x"] };
}

function rejection(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (isAwsError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("an Authorization header that repeats a parameter", () => {
  it.each([
    [
      "Signature",
      `Credential=${CREDENTIAL}, SignedHeaders=host;x-amz-date, Signature=bogus, Signature=${SIGNATURE}`,
    ],
    [
      "Credential",
      `Credential=AKIDOTHER/20261125/us-east-1/sts/aws4_request, Credential=${CREDENTIAL}, SignedHeaders=host, Signature=${SIGNATURE}`,
    ],
    [
      "SignedHeaders",
      `Credential=${CREDENTIAL}, SignedHeaders=host, SignedHeaders=host;x-amz-date, Signature=${SIGNATURE}`,
    ],
    ["Extra", `Credential=${CREDENTIAL}, Extra=1, SignedHeaders=host, Signature=${SIGNATURE}, Extra=2`],
  ])("is refused with IncompleteSignature when %s is given twice", (name, fields) => {
    const header = `AWS4-HMAC-SHA256 ${fields}`;
    expect(rejection(() => parseAuthorization(withAuthorization(header)))).toEqual({
      code: "IncompleteSignature",
      message: `Authorization header has the '${name}' parameter more than once. Authorization=${header}`,
    });
  });

  it("is read when each parameter appears once, whatever the spacing", () => {
    const auth = parseAuthorization(
      withAuthorization(
        `AWS4-HMAC-SHA256 Credential=${CREDENTIAL},SignedHeaders=host;x-amz-date,  Signature=${SIGNATURE}`,
      ),
    );
    expect(auth).toMatchObject({ kind: "header", accessKeyId: "AKIDEXAMPLE", signature: SIGNATURE });
  });

  it("refuses two Authorization headers, even when they are identical", () => {
    const header = `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host;x-amz-date, Signature=${SIGNATURE}`;
    expect(rejection(() => parseAuthorization(withAuthorization(header, header)))).toEqual({
      code: "IncompleteSignature",
      message: "The request carries more than one Authorization header.",
    });
  });
});

describe("presigned query parameters given more than once", () => {
  const base = [
    "X-Amz-Algorithm=AWS4-HMAC-SHA256",
    `X-Amz-Credential=${encodeURIComponent(CREDENTIAL)}`,
    "X-Amz-Date=20261125T120000Z",
    "X-Amz-Expires=60",
    "X-Amz-SignedHeaders=host",
    `X-Amz-Signature=${SIGNATURE}`,
  ];

  it.each([
    ["X-Amz-Signature", "X-Amz-Signature=bogus"],
    [
      "X-Amz-Credential",
      `X-Amz-Credential=${encodeURIComponent("AKIDOTHER/20261125/us-east-1/sts/aws4_request")}`,
    ],
    ["X-Amz-Expires", "X-Amz-Expires=604800"],
    ["X-Amz-Security-Token", "X-Amz-Security-Token=a&X-Amz-Security-Token=b"],
    // Percent-encoded in the name, and so the same parameter once decoded.
    ["X-Amz-Signature", "X-Amz-%53ignature=bogus"],
  ])("are refused with IncompleteSignature: %s", (name, extra) => {
    expect(rejection(() => parseAuthorization(presigned([...base, extra].join("&"))))).toEqual({
      code: "IncompleteSignature",
      message: `AWS query-string authentication requires each X-Amz-* parameter once, but ${name} appears more than once.`,
    });
  });

  it("leaves other repeated parameters to the protocol that reads them", () => {
    // SigV4 signs every value of a repeated name (canonicalQuery keeps them all); only the claim must be single.
    const auth = parseAuthorization(presigned([...base, "tag=a", "tag=b"].join("&")));
    expect(auth).toMatchObject({ kind: "presigned", signature: SIGNATURE, expiresSeconds: 60 });
  });
});

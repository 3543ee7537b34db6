import { describe, expect, it } from "vitest";
import { amzDateFromHttpDate, parseAmzDate } from "../../../src/core/sigv4/amzDate.js";
import { inTimeZone } from "../../helpers/timeZone.js";

describe("request dates", () => {
  it("reads an HTTP Date header in IMF-fixdate, the form RFC 9110 requires of senders", () => {
    expect(amzDateFromHttpDate("Wed, 25 Nov 2026 21:00:00 GMT")).toBe("20261125T210000Z");
  });

  it("refuses other date forms, which a lenient parse would read in the host's time zone", () => {
    inTimeZone("America/New_York", () => {
      for (const loose of [
        "2026-11-25 21:00:00",
        "Wed, 25 Nov 2026 21:00:00",
        "Wednesday, 25-Nov-26 21:00:00 GMT",
        "Wed, 31 Feb 2026 21:00:00 GMT",
      ])
        expect(amzDateFromHttpDate(loose)).toBeUndefined();
    });
  });

  it("refuses an X-Amz-Date that is not a real time rather than rolling it over", () => {
    expect(parseAmzDate("20261399T990000Z")).toBeNaN();
    expect(parseAmzDate("20261125T210000Z")).toBe(Date.UTC(2026, 10, 25, 21));
  });
});

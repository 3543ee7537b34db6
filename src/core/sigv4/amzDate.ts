const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** yyyymmddThhmmssZ → epoch ms, or NaN when malformed or not a real time (month 13, 25:00, Feb 30). */
export function parseAmzDate(amzDate: string): number {
  const m = AMZ_DATE.exec(amzDate);
  if (!m) return Number.NaN;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 20261399T990000Z over into 2027; a time that does not read back the same is invalid.
  return formatAmzDate(ms) === amzDate ? ms : Number.NaN;
}

export function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
}

// IMF-fixdate, the one form RFC 9110 lets senders use: "Sun, 06 Nov 1994 08:49:37 GMT".
const IMF_FIXDATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * The HTTP Date header as yyyymmddThhmmssZ, for clients that sign with Date instead of X-Amz-Date. Only
 * IMF-fixdate is taken: a looser parse would read a time without a zone as the host's local time.
 */
export function amzDateFromHttpDate(httpDate: string): string | undefined {
  if (!IMF_FIXDATE.test(httpDate)) return undefined;
  const ms = Date.parse(httpDate);
  if (Number.isNaN(ms)) return undefined;
  const amz = formatAmzDate(ms);
  // Date.parse rolls "31 Feb" over into March; a date that does not read back the same is invalid.
  return new Date(ms).toUTCString() === httpDate ? amz : undefined;
}

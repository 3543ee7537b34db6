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

/**
 * The HTTP Date header as yyyymmddThhmmssZ, for clients that sign with Date instead of X-Amz-Date. Only
 * IMF-fixdate is taken: a looser parse would read a time without a zone as the host's local time.
 */
export function amzDateFromHttpDate(httpDate: string): string | undefined {
  const ms = Date.parse(httpDate);
  if (Number.isNaN(ms)) return undefined;
  // toUTCString writes IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 9110's one form for senders): a
  // header that does not read back the same is another form, or a day Date.parse rolled over ("31 Feb").
  return new Date(ms).toUTCString() === httpDate ? formatAmzDate(ms) : undefined;
}

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

/** The HTTP Date header (RFC 7231) as yyyymmddThhmmssZ, for clients that sign with Date instead of X-Amz-Date. */
export function amzDateFromHttpDate(httpDate: string): string | undefined {
  const ms = Date.parse(httpDate);
  return Number.isNaN(ms) ? undefined : formatAmzDate(ms);
}

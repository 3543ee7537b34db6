const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** yyyymmddThhmmssZ → epoch ms, or NaN when malformed or not a real time (month 13, 25:00, Feb 30). */
export function parseAmzDate(amzDate: string): number {
  const m = AMZ_DATE.exec(amzDate);
  if (!m) return Number.NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 20261399T990000Z over into 2027: a time whose fields do not read back the same is invalid.
  // (Compared field by field: formatting the time back as text cost more than the rest of the check.)
  const d = new Date(ms);
  return d.getUTCFullYear() === year &&
    d.getUTCMonth() === month - 1 &&
    d.getUTCDate() === day &&
    d.getUTCHours() === hour &&
    d.getUTCMinutes() === minute &&
    d.getUTCSeconds() === second
    ? ms
    : Number.NaN;
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

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const FORMAT =
  /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/;

/** The TIMESTAMP of a PASSWORD_VERIFIER answer, "ddd MMM d HH:mm:ss UTC yyyy" (day not zero-padded). */
export function srpTimestamp(now: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[now.getUTCDay()]} ${MONTHS[now.getUTCMonth()]} ${now.getUTCDate()} ${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())} UTC ${now.getUTCFullYear()}`;
}

/** The instant a TIMESTAMP names, or undefined when it is not in AWS's format or names no real date. */
export function parseSrpTimestamp(text: string): Date | undefined {
  const m = FORMAT.exec(text);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2]!);
  if (month === -1) return undefined;
  const date = new Date(
    Date.UTC(Number(m[7]), month, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])),
  );
  // Round-tripping catches 31 Feb, hour 25 and a weekday that does not match the date.
  return srpTimestamp(date) === text ? date : undefined;
}

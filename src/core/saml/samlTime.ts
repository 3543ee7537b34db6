// xs:dateTime as SAML uses it; SAML asks for UTC but real IdPs sometimes send an offset.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Parses a SAML timestamp, or returns undefined when it is not one. */
export function parseSamlTime(value: string): Date | undefined {
  if (!DATE_TIME.test(value)) return undefined;
  // Date.parse keeps milliseconds only; trim finer fractions so it does not reject them.
  const millis = Date.parse(value.replace(/(\.\d{3})\d+/, "$1"));
  return Number.isNaN(millis) ? undefined : new Date(millis);
}

/** SAML timestamps with millisecond precision, as IdPs commonly emit them. */
export function formatSamlTime(date: Date): string {
  return date.toISOString();
}

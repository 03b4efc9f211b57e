/** Dates as a Korean VAN prints them: local wall time with its offset (Asia/Seoul has no DST). */

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Distinct zones memoised; a store uses one. */
const formattersMax = 16;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const known = formatters.get(timeZone);
  if (known) return known;
  const made = new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "longOffset",
  });
  if (formatters.size < formattersMax) formatters.set(timeZone, made);
  return made;
}

function partsOf(at: Date, timeZone: string): Record<string, string> {
  return Object.fromEntries(formatterFor(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
}

/** Throws RangeError for a zone name Intl does not know (a configuration error, caught at start). */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** `YYYY-MM-DD` of `at` in `timeZone` (the business date a settlement file is cut by). */
export function localDate(at: Date, timeZone: string): string {
  const p = partsOf(at, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** `2025-06-01T21:05:09+09:00`: ISO 8601 with the zone's offset, so its first 10 characters are the local date. */
export function localTimestamp(at: Date, timeZone: string): string {
  const p = partsOf(at, timeZone);
  const offset = p.timeZoneName === "GMT" ? "+00:00" : (p.timeZoneName ?? "").replace("GMT", "");
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset}`;
}

export const datePattern = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

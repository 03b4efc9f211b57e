import { assert } from "../../domain/assert.ts";

/**
 * The business day (영업일자, PAYMENTS-KR.md §5 mismatch 6): day D runs from D at `dayStartsAt`
 * local time to D+1 at `dayStartsAt`, in the store's IANA zone. A bar open past midnight keeps its
 * 01:30 sales on the day that started the evening before. Pure: no clock, Intl only.
 *
 * On a DST day the window is 23 or 25 hours long. When `dayStartsAt` falls in a gap (the clock jumps
 * over it) the day starts at the jump; when it falls in an overlap (the hour repeats) the day starts
 * at its first occurrence. The window is the single source of truth: `businessDateOf` is defined by
 * it, so an instant is in exactly one business day and windows tile the time line.
 */
export interface BusinessDayRule {
  /** IANA zone, e.g. Asia/Seoul. */
  readonly timeZone: string;
  /** "HH:MM", 00:00–23:59. */
  readonly dayStartsAt: string;
}

/** [from, to): the instants of one business day. */
export interface BusinessDayWindow {
  readonly date: string;
  readonly from: Date;
  readonly to: Date;
}

export const businessDayLimits = {
  /** Dates outside these years are refused (Intl and Date.UTC stay exact well inside them). */
  yearMin: 1970,
  yearMax: 2999,
  /** Memoised Intl formatters (a store uses one zone). */
  formattersMax: 16,
} as const;

const dayMs = 86_400_000;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const timePattern = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Whether `text` is a real calendar date YYYY-MM-DD within the supported years. */
export function isBusinessDate(text: string): boolean {
  const m = datePattern.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < businessDayLimits.yearMin || year > businessDayLimits.yearMax) return false;
  const at = new Date(Date.UTC(year, month - 1, day));
  return at.getUTCFullYear() === year && at.getUTCMonth() === month - 1 && at.getUTCDate() === day;
}

/** The calendar date `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  assert(isBusinessDate(date), `not a business date: ${date}`);
  assert(Number.isSafeInteger(days) && Math.abs(days) <= 366, `day offset out of range: ${days}`);
  return isoDateOfUtcMs(utcMidnightMs(date) + days * dayMs);
}

/** The window of business date `date` under `rule`. */
export function businessDayWindow(date: string, rule: BusinessDayRule): BusinessDayWindow {
  assert(isBusinessDate(date), `not a business date: ${date}`);
  const startMinutes = minutesOf(rule.dayStartsAt);
  const from = firstInstantAtOrAfter(utcMidnightMs(date) + startMinutes * 60_000, rule.timeZone);
  const to = firstInstantAtOrAfter(utcMidnightMs(date) + dayMs + startMinutes * 60_000, rule.timeZone);
  // Postconditions, paired: the window moves forward, and no real zone makes a day shorter than
  // an hour or longer than two days (Samoa skipped a whole date in 2011; such a day is short, not negative).
  assert(to > from, `business day ${date} in ${rule.timeZone} ends before it starts`);
  assert(to - from <= 2 * dayMs, `business day ${date} in ${rule.timeZone} is longer than two days`);
  return { date, from: new Date(from), to: new Date(to) };
}

/** The business date an instant belongs to under `rule`. */
export function businessDateOf(at: Date, rule: BusinessDayRule): string {
  const ms = at.getTime();
  assert(Number.isFinite(ms), "businessDateOf needs a valid instant");
  // The local calendar date is the day or the one after it: before dayStartsAt the day began yesterday.
  let date = isoDateOfUtcMs(wallClockMs(ms, rule.timeZone));
  const window = businessDayWindow(date, rule);
  if (ms < window.from.getTime()) date = addDays(date, -1);
  else if (ms >= window.to.getTime()) date = addDays(date, 1);
  const chosen = businessDayWindow(date, rule);
  assert(ms >= chosen.from.getTime() && ms < chosen.to.getTime(), `instant ${at.toISOString()} is in no window around ${date}`);
  return date;
}

/**
 * The first instant whose local wall-clock time in `timeZone` is at or after `localMs` (a local
 * time written as if it were UTC). One offset before and one after cover every real zone, which
 * changes offset at most once within a day either side.
 */
function firstInstantAtOrAfter(localMs: number, timeZone: string): number {
  const before = offsetMs(localMs - dayMs, timeZone);
  const after = offsetMs(localMs + dayMs, timeZone);
  const exact = [localMs - before, localMs - after].filter((t) => wallClockMs(t, timeZone) === localMs);
  if (exact.length > 0) return Math.min(...exact); // an overlap has two: the first one
  // A gap: the local time never happens. The day starts at the jump, found by bisection on whole
  // seconds between the instant still before the jump and the one already after it.
  let lo = localMs - Math.max(before, after);
  let hi = localMs - Math.min(before, after);
  assert(wallClockMs(lo, timeZone) < localMs && wallClockMs(hi, timeZone) > localMs, `no DST gap around ${new Date(localMs).toISOString()} in ${timeZone}`);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (wallClockMs(mid, timeZone) >= localMs) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Local wall-clock time at `ms` in `timeZone`, written as a UTC millisecond count (whole seconds). */
function wallClockMs(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const hour = parts.hour === 24 ? 0 : parts.hour!; // some ICU versions print midnight as 24
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, hour, parts.minute!, parts.second!);
}

/** The zone's UTC offset at `ms` (local − UTC), in ms. */
function offsetMs(ms: number, timeZone: string): number {
  return wallClockMs(ms, timeZone) - Math.floor(ms / 1000) * 1000;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws RangeError for a zone Intl does not know (config validation catches that at start). */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const known = formatters.get(timeZone);
  if (known) return known;
  const made = new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
  if (formatters.size < businessDayLimits.formattersMax) formatters.set(timeZone, made);
  return made;
}

function minutesOf(hhmm: string): number {
  const m = timePattern.exec(hhmm);
  assert(m, `dayStartsAt must be HH:MM, got ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function utcMidnightMs(date: string): number {
  const m = datePattern.exec(date)!;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function isoDateOfUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The business-day rule (server/reports/business-day.ts): day D runs from D dayStartsAt to
 * D+1 dayStartsAt, local time of the store's zone, DST included.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { addDays, businessDateOf, businessDayWindow, isBusinessDate } from "../../server/reports/business-day.ts";

const seoul = { timeZone: "Asia/Seoul", dayStartsAt: "05:00" };
const iso = (d: Date) => d.toISOString();

test("in Seoul with a 05:00 start, business day 2026-12-03 runs from 05:00 that day to 05:00 the next, KST", () => {
  const w = businessDayWindow("2026-12-03", seoul);
  assert.is(iso(w.from), "2026-12-02T20:00:00.000Z");
  assert.is(iso(w.to), "2026-12-03T20:00:00.000Z");
});

test("a sale at 01:30 after midnight belongs to the business day that started the evening before", () => {
  assert.is(businessDateOf(new Date("2026-12-04T01:30:00+09:00"), seoul), "2026-12-03");
  assert.is(businessDateOf(new Date("2026-12-03T23:59:59.999+09:00"), seoul), "2026-12-03");
  assert.is(businessDateOf(new Date("2026-12-04T04:59:59.999+09:00"), seoul), "2026-12-03");
});

test("at exactly 05:00 local the next business day starts; 05:00 is in it and not in the day before", () => {
  assert.is(businessDateOf(new Date("2026-12-04T05:00:00+09:00"), seoul), "2026-12-04");
  assert.is(businessDateOf(new Date("2026-12-03T05:00:00+09:00"), seoul), "2026-12-03");
});

test("a business day across a month and a year end keeps its own date", () => {
  assert.is(businessDateOf(new Date("2027-01-01T02:00:00+09:00"), seoul), "2026-12-31");
  assert.is(iso(businessDayWindow("2026-12-31", seoul).to), "2026-12-31T20:00:00.000Z");
});

test("with a 00:00 start the business date is the local calendar date", () => {
  const midnight = { timeZone: "Asia/Seoul", dayStartsAt: "00:00" };
  assert.is(businessDateOf(new Date("2026-12-04T00:00:00+09:00"), midnight), "2026-12-04");
  assert.is(businessDateOf(new Date("2026-12-03T23:59:59+09:00"), midnight), "2026-12-03");
});

test("on the spring-forward day in New York the business day is 23 hours long, on the fall-back day 25", () => {
  const ny = { timeZone: "America/New_York", dayStartsAt: "05:00" };
  const spring = businessDayWindow("2026-03-07", ny); // clocks jump 02:00 → 03:00 on the 8th
  assert.is(iso(spring.from), "2026-03-07T10:00:00.000Z");
  assert.is(iso(spring.to), "2026-03-08T09:00:00.000Z");
  const fall = businessDayWindow("2026-10-31", ny); // 02:00 → 01:00 on 1 November
  assert.is(fall.to.getTime() - fall.from.getTime(), 25 * 3_600_000);
});

test("a start time the clock jumps over starts the day at the jump; a repeated one at its first occurrence", () => {
  const gap = businessDayWindow("2026-03-08", { timeZone: "America/New_York", dayStartsAt: "02:30" });
  assert.is(iso(gap.from), "2026-03-08T07:00:00.000Z"); // 03:00 EDT, the first instant at or after 02:30
  const overlap = businessDayWindow("2026-11-01", { timeZone: "America/New_York", dayStartsAt: "01:30" });
  assert.is(iso(overlap.from), "2026-11-01T05:30:00.000Z"); // 01:30 EDT, not 01:30 EST
  // The repeated half hour (01:00–01:30 EST) is after the start: it belongs to 1 November.
  assert.is(businessDateOf(new Date("2026-11-01T06:10:00Z"), { timeZone: "America/New_York", dayStartsAt: "01:30" }), "2026-11-01");
});

test("dates are validated as real calendar dates", () => {
  for (const good of ["2026-12-03", "2028-02-29", "1970-01-01"]) assert.ok(isBusinessDate(good), good);
  for (const bad of ["2026-02-29", "2026-13-01", "2026-1-01", "20261203", "", "2026-12-03T00:00", "0999-01-01"]) assert.not.ok(isBusinessDate(bad), bad);
  assert.is(addDays("2026-12-31", 1), "2027-01-01");
  assert.is(addDays("2028-03-01", -1), "2028-02-29");
});

const zones = ["Asia/Seoul", "America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Santiago", "Pacific/Chatham", "UTC"];
const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }).map((ms) => new Date(ms));
const startTime = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);

test("for any instant, zone and start time, the instant lies in its business day's window, and windows tile the time line", () => {
  fc.assert(
    fc.property(instant, fc.constantFrom(...zones), startTime, (at, timeZone, dayStartsAt) => {
      const rule = { timeZone, dayStartsAt };
      const date = businessDateOf(at, rule);
      const w = businessDayWindow(date, rule);
      assert.ok(w.from.getTime() <= at.getTime() && at.getTime() < w.to.getTime(), `${at.toISOString()} not in ${iso(w.from)}..${iso(w.to)}`);
      assert.is(iso(businessDayWindow(addDays(date, 1), rule).from), iso(w.to));
      assert.is(iso(businessDayWindow(addDays(date, -1), rule).to), iso(w.from));
    }),
    { numRuns: 400 },
  );
});

test("in Seoul (no DST since 1988) the business date is the UTC date of the instant + 9 h − the start time", () => {
  fc.assert(
    fc.property(instant, startTime, (at, dayStartsAt) => {
      const [h, m] = dayStartsAt.split(":").map(Number) as [number, number];
      const shifted = new Date(at.getTime() + 9 * 3_600_000 - (h * 60 + m) * 60_000);
      assert.is(businessDateOf(at, { timeZone: "Asia/Seoul", dayStartsAt }), shifted.toISOString().slice(0, 10));
    }),
    { numRuns: 400 },
  );
});

test.run();

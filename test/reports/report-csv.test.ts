/** The report's CSV writer: RFC 4180 fields, a BOM for Excel, formulas never executable. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { toCsv, type CsvRow } from "../../server/reports/report-csv.ts";
import { parseCsv } from "./support.ts";

const field = fc.oneof(fc.string({ unit: "grapheme", maxLength: 12 }), fc.constantFrom("a,b", 'say "hi"', "two\r\nlines", "cr\ronly", "lf\nonly", "=SUM(A1)", "+1", "-x", "@cmd", "단골 할인", ""));
const value = fc.oneof(field, fc.integer({ min: -10_000_000_000, max: 10_000_000_000 }));
/** What a text cell must read back as: a would-be formula with an apostrophe in front. */
const shown = (v: string | number) => (typeof v === "number" ? String(v) : /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

test("any rows read back as written: commas, quotes and line breaks quoted, numbers as integers, formulas defused", () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(field, field, value), { maxLength: 20 }), (rows) => {
      const text = toCsv(rows as CsvRow[]);
      assert.ok(text.startsWith("\uFEFFsection,key,value\r\n"));
      assert.equal(parseCsv(text.slice(1)), [["section", "key", "value"], ...rows.map((r) => r.map(shown))]);
    }),
    { numRuns: 300 },
  );
});

test("a label that looks like a formula gets an apostrophe; a negative amount stays a number", () => {
  const text = toCsv([["adjustments_by_reason", "x.label", "=HYPERLINK(\"http://evil\")"], ["sales", "discounts_won", -2700]]);
  assert.is(text, '\uFEFFsection,key,value\r\nadjustments_by_reason,x.label,"\'=HYPERLINK(""http://evil"")"\r\nsales,discounts_won,-2700\r\n');
});

test.run();

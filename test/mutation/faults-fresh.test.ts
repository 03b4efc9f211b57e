import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Fault } from "./faults.ts";

// Every deliberate fault of `npm run mutation` still names text that occurs exactly once in its
// file: a refactor that moves the text would otherwise leave the fault "stale" and the rule it
// guards unchecked until someone runs the (slow) mutation run.
const here = import.meta.dirname;
const root = resolve(here, "../..");

test("every fault's text is found exactly once in its file", async () => {
  const stale: string[] = [];
  for (const file of readdirSync(here).filter((f) => /^faults(-[a-z0-9-]+)?\.ts$/.test(f)).sort()) {
    const { faults } = (await import(join(here, file))) as { faults: readonly Fault[] };
    for (const fault of faults) {
      const text = readFileSync(join(root, fault.file), "utf8");
      const at = text.indexOf(fault.find);
      if (at < 0 || text.indexOf(fault.find, at + 1) >= 0) stale.push(`${file} ${fault.id}: ${at < 0 ? "not found" : "found twice"} in ${fault.file}`);
    }
  }
  assert.equal(stale, []);
});

test.run();

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { issue15Rows } from "./issue15.ts";
import { printIssue15 } from "./report.ts";

/** `npx tsx bench/issue15-show.ts [file]`: the issue-15 table again from a results file (default bench/results/latest.json). */
const file = process.argv[2] ?? resolve(import.meta.dirname, "results", "latest.json");
const results = JSON.parse(readFileSync(file, "utf8"));
printIssue15(issue15Rows(results));

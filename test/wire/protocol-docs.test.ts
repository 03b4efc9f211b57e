import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { adminCommandTypes, httpAndJoinErrorCodes, kitchenCommandTypes, tableCommandTypes, wireErrorCodes } from "../../protocol/index.ts";

/**
 * docs/PROTOCOL.md and protocol/ cannot drift: every command a room accepts has a row in its
 * room's command table and every documented row is a command the room accepts; the error-code
 * table lists exactly the codes the module defines.
 */
const doc = readFileSync(new URL("../../docs/PROTOCOL.md", import.meta.url), "utf8");

/** The text from a `## n.` heading to the next `## ` heading. */
function section(number: string): string {
  const start = doc.indexOf(`\n## ${number}. `);
  assert.ok(start >= 0, `docs/PROTOCOL.md has a section ${number}`);
  const end = doc.indexOf("\n## ", start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** First-column names of the markdown table rows of a section: `| \`x\` |` or `| \`x\`, \`y\` |`. */
function firstColumn(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split("\n")) {
    const cell = /^\| ([^|]+) \|/.exec(line)?.[1];
    if (!cell || cell.startsWith("`type`") || cell === "code") continue;
    for (const match of cell.matchAll(/`([^`]+)`/g)) names.add(match[1]!);
  }
  return names;
}

function sameSet(documented: Set<string>, defined: ReadonlySet<string>, what: string): void {
  const undocumented = [...defined].filter((t) => !documented.has(t)).sort();
  const unknown = [...documented].filter((t) => !defined.has(t)).sort();
  assert.equal(undocumented, [], `${what} defined in protocol/ but missing from docs/PROTOCOL.md`);
  assert.equal(unknown, [], `${what} in docs/PROTOCOL.md that protocol/ does not define`);
}

test("every table command is documented in §5, and only those", () => {
  sameSet(firstColumn(section("5")), tableCommandTypes, "table commands");
});

test("every kitchen command is documented in §7, and only those", () => {
  const commands = section("7").split("### 7.3")[1]!.split("\n### ")[0]!;
  sameSet(firstColumn(commands), kitchenCommandTypes, "kitchen commands");
});

test("every admin command is documented in §8, and only those", () => {
  const commands = section("8").split("### 8.2")[1]!.split("\n### ")[0]!;
  sameSet(firstColumn(commands), adminCommandTypes, "admin commands");
});

test("the error-code table of §11 lists exactly the codes protocol/codes.ts defines", () => {
  sameSet(firstColumn(section("11")), new Set<string>([...wireErrorCodes, ...httpAndJoinErrorCodes]), "error codes");
});

test.run();

import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { emulatorLimits, PrinterEmulator, renderSlip, sendJob, type StoredSlip } from "../../printers/index.ts";
import { eventually, tempDir } from "../support/server-process.ts";
import { kitchenSlip } from "./fixtures.ts";

const host = "127.0.0.1";
const options = { jobTag: "j001", connectTimeoutMs: 1000, completionTimeoutMs: 3000 };
const slipFor = (n: number) => renderSlip(kitchenSlip({ ticketId: `tk-${n}`, batchNo: n }));
const journalLines = (file: string) => readFileSync(file, "utf8").split("\n").filter((l) => l.length > 0);

async function started(file: string): Promise<PrinterEmulator> {
  const emulator = new PrinterEmulator({ host, port: 0, journalFile: file });
  await emulator.start();
  return emulator;
}

test("slips printed before a restart are still there after it, and numbering goes on", async () => {
  const file = join(tempDir("emu-journal"), "emulator-demo.jsonl");
  const first = await started(file);
  for (const n of [1, 2]) assert.is((await sendJob({ host, port: first.port }, slipFor(n).bytes, options)).outcome, "confirmed");
  // A confirmed send means the slip is already in the file (the echo waits for the append and its fsync).
  assert.is(journalLines(file).length, 2);
  const before = first.slips();
  const dump = first.textDump();
  await first.stop();

  const second = await started(file);
  try {
    assert.equal(second.slips(), before);
    assert.is(second.textDump(), dump);
    assert.is((await sendJob({ host, port: second.port }, slipFor(3).bytes, options)).outcome, "confirmed");
    assert.equal(second.slips().map((s) => [s.seq, s.text]), [...before.map((s) => [s.seq, s.text]), [3, slipFor(3).text]]);
  } finally {
    await second.stop();
  }
});

test("a torn last line (a power cut mid-append) is skipped and rewritten away; later slips append cleanly", async () => {
  const file = join(tempDir("emu-journal"), "emulator-demo.jsonl");
  const first = await started(file);
  assert.is((await sendJob({ host, port: first.port }, slipFor(1).bytes, options)).outcome, "confirmed");
  await first.stop();
  appendFileSync(file, '{"lines":[{"text":"half a sl');

  const second = await started(file);
  assert.is(second.stats().journalLinesSkipped, 1);
  assert.equal(second.slips().map((s) => s.text), [slipFor(1).text]);
  assert.is((await sendJob({ host, port: second.port }, slipFor(2).bytes, options)).outcome, "confirmed");
  await second.stop();

  const third = await started(file);
  try {
    assert.is(third.stats().journalLinesSkipped, 0);
    assert.equal(third.slips().map((s) => s.text), [slipFor(1).text, slipFor(2).text]);
  } finally {
    await third.stop();
  }
});

test("the journal is bounded like memory: the newest slipsStoredMax are kept, in the file too", async () => {
  const file = join(tempDir("emu-journal"), "emulator-demo.jsonl");
  const max = emulatorLimits.slipsStoredMax;
  // A journal left with more lines than the bound (e.g. by an older build) is cut to the newest at start.
  const template = { lines: [{ text: "x", bold: false, doubleHeight: false, doubleWidth: false, align: "left" }], cut: "partial", connection: 1, receivedAt: "2026-12-03T00:00:00.000Z" };
  writeFileSync(file, Array.from({ length: max + 10 }, (_, i) => JSON.stringify({ ...template, text: `old ${i + 1}`, seq: i + 1 })).join("\n") + "\n");
  const emulator = await started(file);
  try {
    assert.is(emulator.slips().length, max);
    assert.is(emulator.slips()[0]!.text, "old 11");
    assert.is(journalLines(file).length, max);
    // Then max more slips on one connection: the file reaches twice the bound and is compacted to the newest max.
    const stream = Buffer.concat(Array.from({ length: max }, (_, i) => slipFor(i + 1).bytes));
    const socket = net.connect(emulator.port, host);
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    socket.end(stream);
    await eventually(() => emulator.slips().at(-1)?.seq === 2 * max + 10, 60_000, "every slip stored");
    await eventually(() => journalLines(file).length === max && (JSON.parse(journalLines(file).at(-1)!) as StoredSlip).seq === 2 * max + 10, 60_000, "journal compacted");
    assert.equal(journalLines(file).map((l) => (JSON.parse(l) as StoredSlip).seq), emulator.slips().map((s) => s.seq));
  } finally {
    await emulator.stop();
  }
  const again = await started(file);
  try {
    assert.is(again.slips().length, max);
    assert.is(again.slips().at(-1)!.text, slipFor(max).text);
  } finally {
    await again.stop();
  }
});

test.run();

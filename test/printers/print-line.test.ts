import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PrinterEmulator, PrintLine, renderSlip, statusQueries, type LineOptions } from "../../printers/index.ts";
import { kitchenSlip } from "./fixtures.ts";

const host = "127.0.0.1";
const options: LineOptions = { connectTimeoutMs: 500, completionTimeoutMs: 500, windowJobs: 4, idleCloseMs: 50 };

/** Slips told apart by their ticket id, so the order on paper can be checked. */
function job(n: number) {
  const rendered = renderSlip({ ...kitchenSlip(), ticketId: `ticket-${String(n).padStart(3, "0")}` });
  return { bytes: rendered.bytes, jobTag: `J${String(n).padStart(3, "0")}` };
}
const ticketOf = (text: string) => /ticket-(\d{3})/.exec(text.replace(/\s+/g, ""))?.[1];

async function until(check: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const t = suite<{ emulator: PrinterEmulator; line: PrintLine }>("print line: pipelined jobs on one connection");
t.before.each(async (ctx) => {
  ctx.emulator = new PrinterEmulator({ host, port: 0 });
  await ctx.emulator.start();
  ctx.line = new PrintLine({ host, port: ctx.emulator.port }, options);
});
t.after.each(async (ctx) => {
  await ctx.line.close();
  await ctx.emulator.stop();
});

t("twenty jobs on one connection: all confirmed, printed in order, at most a window unechoed", async ({ emulator, line }) => {
  const jobs = Array.from({ length: 20 }, (_, i) => job(i));
  const results = await Promise.all(jobs.map((j) => line.send(j)));
  assert.equal(results.map((r) => r.outcome), jobs.map(() => "confirmed"));
  assert.equal(emulator.slips().map((s) => ticketOf(s.text)), jobs.map((_, i) => String(i).padStart(3, "0")));
  assert.is(emulator.stats().connections, 1, "one connection for every job");
  assert.is(emulator.stats().echoes, 20);
  assert.ok(results[0]!.status?.online, "the connect-time status rides on the results");
  await until(() => !line.open, "the idle line closes");
});

t("paper out: every job is not-sent at once and no slip byte is written", async ({ emulator, line }) => {
  await emulator.setFault({ mode: "paperOut" });
  const results = await Promise.all([0, 1, 2].map((i) => line.send(job(i))));
  assert.equal(results.map((r) => [r.outcome, r.error]), [0, 1, 2].map(() => ["not-sent", "paper_out"]));
  assert.ok(results[0]!.status?.paperOut);
  await until(() => emulator.stats().bytesReceived >= statusQueries.length, "the status query arrived");
  assert.is(emulator.stats().bytesReceived, statusQueries.length, "only DLE EOT 1/2/4 reached the printer");
  assert.is(emulator.stats().slipsDiscarded, 0);
  await emulator.setFault({ mode: "none" });
  assert.is((await line.send(job(3))).outcome, "confirmed", "the next send connects again");
});

t("a connection cut mid-window: written unechoed jobs are unknown, jobs not yet written are not-sent", async ({ emulator, line }) => {
  // Cut inside the first slip: the window's four jobs were written, the fifth and sixth were waiting.
  await emulator.setFault({ mode: "closeMidSlip", afterBytes: statusQueries.length + 20 });
  const results = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => line.send(job(i))));
  assert.equal(results.map((r) => r.outcome), ["unknown", "unknown", "unknown", "unknown", "not-sent", "not-sent"]);
  assert.is(emulator.slips().length, 0);
});

t("a slip the printer dropped (paper ran out under it) is unknown when a later job's echo comes, never confirmed by it", async ({ emulator, line }) => {
  assert.is((await line.send(job(1))).outcome, "confirmed");
  await emulator.setFault({ mode: "paperOut" });
  const dropped = line.send(job(2));
  await until(() => emulator.stats().slipsDiscarded === 1, "the printer dropped slip 2");
  await emulator.setFault({ mode: "none" });
  const after = await line.send(job(3));
  assert.equal([await dropped, after].map((r) => [r.outcome, r.error]), [["unknown", "echo_skipped"], ["confirmed", undefined]]);
  assert.equal(emulator.slips().map((s) => ticketOf(s.text)), ["001", "003"]);
});

t("a printer that prints and never echoes: unknown at the completion timeout", async ({ emulator, line }) => {
  await emulator.setFault({ mode: "noEcho" });
  const results = await Promise.all([0, 1].map((i) => line.send(job(i))));
  assert.equal(results.map((r) => [r.outcome, r.error]), [["unknown", "no_echo_before_deadline"], ["unknown", "no_echo_before_deadline"]]);
  assert.is(emulator.slips().length, 2, "on paper, but never confirmed");
});

t("a printer that never answers the status query: not-sent, nothing written", async ({ emulator, line }) => {
  await emulator.setFault({ mode: "hang" });
  const result = await line.send(job(0));
  assert.equal([result.outcome, result.error], ["not-sent", "no_status_reply"]);
  assert.is(emulator.stats().bytesReceived, 0);
});

t("refused: not-sent", async ({ emulator, line }) => {
  await emulator.setFault({ mode: "refuse" });
  const result = await line.send(job(0));
  assert.equal([result.outcome, result.error], ["not-sent", "ECONNREFUSED"]);
});

t.run();

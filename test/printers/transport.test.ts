import { spawn } from "node:child_process";
import net from "node:net";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { AssertionError } from "../../domain/assert.ts";
import { PrinterEmulator, queryStatus, renderSlip, sendJob, type SendOptions } from "../../printers/index.ts";
import { kitchenSlip } from "./fixtures.ts";

const host = "127.0.0.1";
const options: SendOptions = { jobTag: "T001", connectTimeoutMs: 300, completionTimeoutMs: 500 };
/** Timers fire a little late under load; the deadline must still hold within this. */
const rendered = renderSlip(kitchenSlip());
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A listener that never accepts, with its one-slot accept queue filled, so the next SYN goes
 * unanswered (PRINTERS.md §8). Node always accepts, hence a small python3 peer.
 */
async function unansweredSynPeer(): Promise<{ port: number; close: () => void } | null> {
  const script = "import socket,sys\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\nsys.stdin.read()";
  const python = spawn("python3", ["-c", script], { stdio: ["pipe", "pipe", "ignore"] });
  const port = await new Promise<number | null>((resolve) => {
    python.once("error", () => resolve(null));
    python.stdout.once("data", (data) => resolve(Number(String(data))));
  });
  if (port === null) return null;
  const fillers = [1, 2, 3].map(() => net.connect(port, host).on("error", () => undefined));
  await wait(50);
  return {
    port,
    close: () => {
      for (const filler of fillers) filler.destroy();
      python.stdin.end();
    },
  };
}

interface Context {
  emulator: PrinterEmulator;
  port: number;
}
const test = suite<Context>("transport", {} as Context);
test.before.each(async (context) => {
  context.emulator = new PrinterEmulator();
  context.port = await context.emulator.start();
});
test.after.each(async (context) => {
  await context.emulator.stop();
});

test("a healthy printer echoes the tag: confirmed, and exactly one slip is printed", async ({ emulator, port }) => {
  const result = await sendJob({ host, port }, rendered.bytes, options);
  assert.is(result.outcome, "confirmed");
  assert.equal(result.status, { online: true, coverOpen: false, paperOut: false, paperNearEnd: false, error: false });
  assert.is(emulator.slips().length, 1);
  assert.is(emulator.slips()[0]!.text, rendered.text);
  assert.is(emulator.stats().echoes, 1);
});

test("a refused connection is not-sent quickly, and the port serves again once cleared", async ({ emulator, port }) => {
  await emulator.setFault({ mode: "refuse" });
  const refused = await sendJob({ host, port }, rendered.bytes, options);
  assert.equal([refused.outcome, refused.error], ["not-sent", "ECONNREFUSED"]);
  assert.ok(refused.durationMs < 100, `took ${refused.durationMs} ms`);
  await emulator.setFault({ mode: "none" });
  assert.is(emulator.port, port);
  assert.is((await sendJob({ host, port }, rendered.bytes, options)).outcome, "confirmed");
  assert.is(emulator.slips().length, 1);
});

test("a printer that accepts but never reads gives unknown at the completion deadline", async ({ emulator, port }) => {
  await emulator.setFault({ mode: "hang" });
  const result = await sendJob({ host, port }, rendered.bytes, options);
  assert.equal([result.outcome, result.error], ["unknown", "no_echo_before_deadline"]);
  // The outcome names the timer that fired; the lower bound shows it waited for it (no upper bound: a busy machine is slow, not wrong).
  assert.ok(result.durationMs >= options.completionTimeoutMs - 5);
  assert.is(emulator.slips().length, 0);
});

test("a connection closed mid-slip gives unknown and no complete slip", async ({ emulator, port }) => {
  await emulator.setFault({ mode: "closeMidSlip", afterBytes: 120 });
  const result = await sendJob({ host, port }, rendered.bytes, options);
  assert.is(result.outcome, "unknown");
  assert.ok(result.durationMs < options.completionTimeoutMs, "the close is noticed before the deadline");
  await wait(20);
  assert.is(emulator.slips().length, 0);
  assert.is(emulator.stats().partialSlips, 1);
});

test("paper out gives unknown, the status says paper out, and nothing prints", async ({ emulator, port }) => {
  await emulator.setFault({ mode: "paperOut" });
  const result = await sendJob({ host, port }, rendered.bytes, options);
  assert.is(result.outcome, "unknown");
  assert.equal(result.status, { online: false, coverOpen: false, paperOut: true, paperNearEnd: false, error: false });
  assert.is(emulator.slips().length, 0);
  assert.is(emulator.stats().slipsDiscarded, 1);
});

test("no echo gives unknown although the slip printed (the case only a marked reprint may follow)", async ({ emulator, port }) => {
  await emulator.setFault({ mode: "noEcho" });
  const result = await sendJob({ host, port }, rendered.bytes, options);
  assert.equal([result.outcome, result.error], ["unknown", "no_echo_before_deadline"]);
  assert.is(emulator.slips().length, 1);
});

test("a slow printer that finishes within the deadline is confirmed", async ({ emulator, port }) => {
  await emulator.setFault({ mode: "slow", delayMsPerChunk: 150 });
  const result = await sendJob({ host, port }, rendered.bytes, { ...options, completionTimeoutMs: 800 });
  assert.is(result.outcome, "confirmed");
  assert.ok(result.durationMs >= 150);
  assert.is(emulator.slips().length, 1);
});

test("unsolicited ASB bytes do not confuse the echo or the status", async () => {
  const asb = new PrinterEmulator({ asbOnConnect: true });
  const port = await asb.start();
  try {
    const result = await sendJob({ host, port }, rendered.bytes, options);
    assert.is(result.outcome, "confirmed");
    assert.is(result.status?.online, true);
  } finally {
    await asb.stop();
  }
});

test("each job is its own connection, one slip each", async ({ emulator, port }) => {
  assert.is((await sendJob({ host, port }, rendered.bytes, options)).outcome, "confirmed");
  assert.is((await sendJob({ host, port }, rendered.bytes, { ...options, jobTag: "T002" })).outcome, "confirmed");
  assert.equal(emulator.slips().map((s) => s.connection), [1, 2]);
  assert.ok(emulator.textDump().includes("=== slip 2 · connection 2"));
  assert.ok(emulator.textDump().includes("김치찌개"));
});

test("a connect that never completes is not-sent at the connect timeout", async () => {
  const peer = await unansweredSynPeer();
  // python3 is part of this project's build (node-gyp); without it this case would pass untested.
  assert.ok(peer !== null, "python3 is needed to hold a SYN unanswered");
  if (peer === null) return;
  try {
    const result = await sendJob({ host, port: peer.port }, rendered.bytes, { ...options, connectTimeoutMs: 200 });
    assert.equal([result.outcome, result.error], ["not-sent", "connect_timeout"]);
    assert.ok(result.durationMs >= 195);
  } finally {
    peer.close();
  }
});

test("queryStatus reports cover open and paper out", async ({ emulator, port }) => {
  assert.equal(await queryStatus({ host, port }, 500), { online: true, coverOpen: false, paperOut: false, paperNearEnd: false, error: false });
  await emulator.setFault({ mode: "coverOpen" });
  assert.equal(await queryStatus({ host, port }, 500), { online: false, coverOpen: true, paperOut: false, paperNearEnd: false, error: false });
  await emulator.setFault({ mode: "paperOut" });
  assert.equal(await queryStatus({ host, port }, 500), { online: false, coverOpen: false, paperOut: true, paperNearEnd: false, error: false });
});

test("queryStatus on a refused or hung printer returns an error, never hangs", async ({ emulator, port }) => {
  await emulator.setFault({ mode: "hang" });
  assert.equal(await queryStatus({ host, port }, 300), { error: "status_timeout" });
  await emulator.setFault({ mode: "refuse" });
  assert.equal(await queryStatus({ host, port }, 300), { error: "ECONNREFUSED" });
});

test("a bad job tag or an empty job is a bug and asserts before connecting", () => {
  const isAssertion = (e: unknown) => e instanceof AssertionError;
  assert.throws(() => sendJob({ host, port: 9 }, rendered.bytes, { ...options, jobTag: "TOO-LONG" }), isAssertion);
  assert.throws(() => sendJob({ host, port: 9 }, rendered.bytes, { ...options, jobTag: "T\u00e90" }), isAssertion);
  assert.throws(() => sendJob({ host, port: 9 }, Buffer.alloc(0), options), isAssertion);
});

test.run();

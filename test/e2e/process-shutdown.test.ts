import { test } from "uvu";
import * as assert from "uvu/assert";
import { PrinterEmulator } from "../../printers/index.ts";
import { demoRawConfig } from "../../server/config/index.ts";
import { eventually, query, startServer, tempDir, writeConfig, type ServerProcess } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";
import { slipsOf } from "../support/printing.ts";

// Readiness (/api/ready) and the shutdown deadline (SHUTDOWN_DEADLINE_MS), with real processes.

interface ReadyBody {
  ok: boolean;
  data?: Details;
  error?: { code: string; message: string; details: Details };
}
interface Details {
  draining: boolean;
  storage: { checked: boolean; writable: boolean; writer: string };
  printingLease: { held: boolean; lastWriteOk: boolean | null };
  printers: { driven: boolean; total: number; reachable: number; unreachable: number; unchecked: number; failedOver: number; pendingSlips: number };
}

async function get(server: ServerProcess, path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.endpoint}${path}`);
  return { status: response.status, text: await response.text() };
}

/** Asks until the answer has this status (each answer is the event waited on); gives up after the guard. */
async function untilStatus(server: ServerProcess, path: string, status: number, guardMs = 10_000): Promise<{ status: number; text: string }> {
  const giveUpAt = Date.now() + guardMs;
  for (;;) {
    const answer = await get(server, path);
    if (answer.status === status) return answer;
    if (Date.now() > giveUpAt) throw new Error(`${path}: still ${answer.status} after ${guardMs} ms: ${answer.text}`);
  }
}

/** The exit after a SIGTERM; a process still running after the guard fails the test (and is killed). */
async function exitOf(server: ServerProcess, what: string, guardMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still running after ${guardMs} ms:\n${server.output.join("")}`)), guardMs);
  });
  try {
    return await Promise.race([server.exit, guard]);
  } finally {
    clearTimeout(timer);
    await server.kill();
  }
}

/**
 * A server whose only printer (an emulator in this process) takes a slip and never confirms it:
 * after a confirm, the printer actor waits up to 120 s for the echo, so a graceful stop has a
 * drain that outlasts any short deadline (a printer mid-slip is a real reason for a slow stop).
 */
async function serverWithStuckPrinter(env: Record<string, string>): Promise<{ server: ServerProcess; printer: PrinterEmulator; ticketId: string }> {
  const printer = new PrinterEmulator({ host: "127.0.0.1", port: 0 });
  await printer.start();
  await printer.setFault({ mode: "noEcho" });
  const demo = demoRawConfig.stores[0]!;
  const config = {
    ...demoRawConfig,
    printing: { attemptsMax: 1, backoffBaseMs: 100, backoffMaxMs: 400, connectTimeoutMs: 1_000, completionTimeoutMs: 120_000, healthCheckEverySeconds: 3_600 },
    stores: [{ ...demo, printers: [{ id: "p1", name: "주방 프린터", host: "127.0.0.1", port: printer.port, stationIds: ["kitchen", "bar"] }] }],
  };
  const dataDir = tempDir("drain");
  const server = await startServer({ dataDir, env: { CONFIG_FILE: writeConfig(dataDir, config), ...env } });
  const pos = await openTable(await staff(server), "T1");
  const reply = await pos.command<{ batchId: string }>("confirm", { lines: [{ menuId: "jeyuk", quantity: 1 }] });
  assert.ok(reply.ok, JSON.stringify(reply));
  const ticketId = reply.ok ? `${reply.data.batchId}-kitchen` : "";
  // The printer has the slip and the server waits for its echo: the attempt is in flight.
  await eventually(() => slipsOf(printer, ticketId).length === 1, 10_000, "the slip to reach the printer");
  return { server, printer, ticketId };
}

test("/api/ready: 200 with aggregate details when ready (no store data); a clean stop exits 0", async () => {
  const server = await startServer();
  const ready = await get(server, "/api/ready");
  assert.is(ready.status, 200, ready.text);
  const body = JSON.parse(ready.text) as ReadyBody;
  assert.is(body.ok, true);
  assert.equal(body.data, {
    draining: false,
    storage: { checked: true, writable: true, writer: "thread" },
    printingLease: { held: true, lastWriteOk: true },
    printers: body.data!.printers,
  });
  assert.is(body.data!.printers.driven, true);
  assert.is(body.data!.printers.total, 1, "the demo store's emulator");
  assert.not.match(ready.text, "demo", "no store id without a token");
  // The probe is a real write through the writer: its row is in the database.
  assert.is(query(server.databaseFile, "select holder from leases where name = 'ready-probe'").length, 1);
  const health = await get(server, "/api/health");
  assert.is(health.status, 200);
  server.child.kill("SIGTERM");
  const { code } = await exitOf(server, "a clean stop");
  assert.is(code, 0, server.output.join(""));
});

test("/api/ready says 503 NOT_READY while the process drains (a printer mid-slip); /api/health stays 200", async () => {
  const { server, printer } = await serverWithStuckPrinter({ SHUTDOWN_DEADLINE_MS: "120000" });
  try {
    assert.is((await get(server, "/api/ready")).status, 200);
    server.child.kill("SIGTERM");
    const draining = await untilStatus(server, "/api/ready", 503);
    const body = JSON.parse(draining.text) as ReadyBody;
    assert.is(body.ok, false);
    assert.is(body.error?.code, "NOT_READY");
    assert.is(body.error?.details.draining, true);
    assert.is(body.error?.details.storage.checked, false, "no probe write while draining");
    assert.is((await get(server, "/api/health")).status, 200, "still alive while draining");
    assert.is(server.child.exitCode, null, "still draining: the printer holds the stop");
  } finally {
    await server.kill();
    await printer.stop();
  }
});

test("SIGTERM: a drain that outlasts SHUTDOWN_DEADLINE_MS ends in a forced, non-zero exit that names the stage", async () => {
  const { server, printer } = await serverWithStuckPrinter({ SHUTDOWN_DEADLINE_MS: "200" });
  try {
    server.child.kill("SIGTERM");
    const { code } = await exitOf(server, "a stop past its deadline");
    const output = server.output.join("");
    assert.is(code, 6, output);
    assert.match(output, "not drained within SHUTDOWN_DEADLINE_MS=200 ms (still at: printers finishing their slips); exiting anyway");
  } finally {
    await server.kill();
    await printer.stop();
  }
});

test.run();

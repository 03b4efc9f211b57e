// Named crash points (server/crash-points.ts, DESIGN.md §7): a real server process dies by SIGKILL at
// exactly one step, is restarted without CRASH_AT, and the guarantee of that step is checked on the
// database and on what the (real TCP) printer emulator decoded. Plus: a printer's health check never
// overlaps one of its jobs (PRINTERS.md §9.7), seen by a proxy that counts open connections.
import { randomUUID } from "node:crypto";
import { createServer, connect, type Server, type Socket } from "node:net";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { PrinterEmulator, type StoredSlip } from "../../printers/index.ts";
import { demoRawConfig } from "../../server/config/index.ts";
import { eventually, query, startServer, tempDir, writeConfig, type ServerProcess } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";
import { fastPrinting, isMarked, slipsOf } from "../support/printing.ts";

const duplicateMark = "중복 가능 / MAY BE DUPLICATE";
const jeyuk = { menuId: "jeyuk", quantity: 1 }; // demo: station "kitchen" → printer "pa"

interface Rig {
  kitchen: PrinterEmulator;
  bar: PrinterEmulator;
  dataDir: string;
  configFile: string;
  server?: ServerProcess;
}

/** Demo store, kitchen → `kitchen` (or `kitchenPort`, e.g. a proxy in front of it), bar → `bar`. */
async function rig(printing = fastPrinting, kitchenPort?: (emulatorPort: number) => Promise<number>): Promise<Rig> {
  const kitchen = new PrinterEmulator({ host: "127.0.0.1", port: 0 });
  const bar = new PrinterEmulator({ host: "127.0.0.1", port: 0 });
  await kitchen.start();
  await bar.start();
  const port = kitchenPort ? await kitchenPort(kitchen.port) : kitchen.port;
  const demo = demoRawConfig.stores[0]!;
  const config = {
    ...demoRawConfig,
    printing,
    stores: [{
      ...demo,
      printers: [
        { id: "pa", name: "주방 프린터", host: "127.0.0.1", port, stationIds: ["kitchen"] },
        { id: "pb", name: "바 프린터", host: "127.0.0.1", port: bar.port, stationIds: ["bar"] },
      ],
    }],
  };
  const dataDir = tempDir("crash");
  return { kitchen, bar, dataDir, configFile: writeConfig(dataDir, config) };
}

async function start(r: Rig, crash?: { at: string; count?: number }): Promise<ServerProcess> {
  const env: Record<string, string> = { CONFIG_FILE: r.configFile };
  if (crash) {
    env.CRASH_AT = crash.at;
    if (crash.count !== undefined) env.CRASH_AT_COUNT = String(crash.count);
  }
  r.server = await startServer({ dataDir: r.dataDir, env });
  return r.server;
}

async function teardown(r: Rig): Promise<void> {
  await r.server?.stop();
  await r.kitchen.stop();
  await r.bar.stop();
}

/** Sends a confirm whose reply may never come (the process dies); never rejects. */
function confirmUnanswered(table: Awaited<ReturnType<typeof openTable>>, cmdId = randomUUID()): { cmdId: string; replied: () => boolean } {
  let replied = false;
  table.command("confirm", { lines: [jeyuk] }, cmdId, 60_000).then(() => (replied = true), () => undefined);
  return { cmdId, replied: () => replied };
}

/** Waits for the armed crash: the process must have killed itself with SIGKILL. */
async function crashed(server: ServerProcess): Promise<void> {
  const exit = await server.exit;
  assert.is(exit.signal, "SIGKILL", `expected the crash point to SIGKILL the server, got ${JSON.stringify(exit)}:\n${server.output.join("")}`);
}

const kitchenTicketIds = (server: ServerProcess) =>
  query<{ ticket_id: string }>(server.databaseFile, "select ticket_id from kitchen_tickets where station_id = 'kitchen' order by created_at").map((r) => r.ticket_id);
const slipState = (server: ServerProcess, ticketId: string) =>
  query<{ state: string }>(server.databaseFile, "select state from print_slips where slip_key = ?", `${ticketId}:new`)[0]?.state;
const describeSlips = (slips: StoredSlip[]) => slips.map((s) => s.text).join("\n---\n");

test("after-commit-before-reply: the confirm is stored once and a retry with its cmdId gets the first reply", async () => {
  const r = await rig();
  try {
    let server = await start(r, { at: "after-commit-before-reply", count: 2 }); // 1: session.open, 2: the confirm
    const table = await openTable(await staff(server), "T1");
    const sent = confirmUnanswered(table);
    await crashed(server);
    assert.not.ok(sent.replied(), "the reply left before the crash");

    server = await start(r);
    const stored = query<{ reply: string }>(server.databaseFile, "select reply from processed_commands where cmd_id = ?", sent.cmdId);
    assert.is(stored.length, 1, "the confirm is durable");
    assert.is(query(server.databaseFile, "select 1 from order_batches where cmd_id = ?", sent.cmdId).length, 1);

    const again = await openTable(await staff(server), "T1");
    const retry = await again.command<{ batchId: string }>("confirm", { lines: [jeyuk] }, sent.cmdId);
    const retry2 = await again.command<{ batchId: string }>("confirm", { lines: [jeyuk] }, sent.cmdId);
    assert.ok(retry.ok, JSON.stringify(retry));
    assert.equal(retry, JSON.parse(stored[0]!.reply), "the retry gets the reply stored by the first commit");
    assert.equal(retry2, retry);
    assert.is(query(server.databaseFile, "select 1 from order_batches where cmd_id = ?", sent.cmdId).length, 1, "stored exactly once");
    assert.is(query(server.databaseFile, "select 1 from order_batches").length, 1, "no second batch");
    assert.is(kitchenTicketIds(server).length, 1, "one kitchen ticket");
    const [ticketId] = kitchenTicketIds(server);
    await eventually(() => slipState(server, ticketId!) === "printed", 10_000, "the slip printed");
    assert.is(slipsOf(r.kitchen, ticketId!).length, 1, "printed once");
  } finally {
    await teardown(r);
  }
});

test("after-outbox-before-print: the queued slip prints once, unmarked, after the restart", async () => {
  const r = await rig();
  try {
    let server = await start(r, { at: "after-outbox-before-print" });
    const table = await openTable(await staff(server), "T1");
    confirmUnanswered(table);
    await crashed(server);
    assert.is(r.kitchen.slips().length, 0, "nothing reached the printer before the crash");

    server = await start(r);
    const [ticketId, ...more] = kitchenTicketIds(server);
    assert.ok(ticketId, "the confirm was committed");
    assert.is(more.length, 0);
    await eventually(() => slipState(server, ticketId!) === "printed", 10_000, "the slip printed after the restart");
    const jobs = query<{ attempt: number; state: string; marked: number }>(server.databaseFile, "select attempt, state, marked from print_jobs where slip_key = ?", `${ticketId}:new`);
    assert.equal(jobs, [{ attempt: 1, state: "confirmed", marked: 0 }], "no attempt was started before the crash");
    const copies = slipsOf(r.kitchen, ticketId!);
    assert.is(copies.length, 1, describeSlips(copies));
    assert.not.ok(isMarked(copies[0]!), `a first and only copy carries no mark:\n${copies[0]!.text}`);
  } finally {
    await teardown(r);
  }
});

test("mid-print: part of the slip reached the printer; the copy after the restart says MAY BE DUPLICATE", async () => {
  const r = await rig();
  try {
    let server = await start(r, { at: "mid-print" });
    const table = await openTable(await staff(server), "T1");
    confirmUnanswered(table);
    await crashed(server);
    // The emulator holds the cut-off slip as a partial (no cut): bytes arrived, nothing finished.
    await eventually(() => r.kitchen.stats().partialSlips >= 1, 5_000, "the emulator saw the connection close mid-slip");
    assert.ok(r.kitchen.stats().bytesReceived > 0);
    assert.is(r.kitchen.slips().length, 0, "no whole slip before the crash");

    server = await start(r);
    const [ticketId] = kitchenTicketIds(server);
    await eventually(() => slipState(server, ticketId!) === "printed", 10_000, "the slip printed after the restart");
    const jobs = query<{ state: string; marked: number }>(server.databaseFile, "select state, marked from print_jobs where slip_key = ? order by attempt", `${ticketId}:new`);
    assert.equal(jobs.map((j) => j.state), ["unknown", "confirmed"], "the cut-off attempt is settled as unknown at start-up");
    const copies = slipsOf(r.kitchen, ticketId!);
    assert.is(copies.length, 1, describeSlips(copies));
    assert.ok(copies[0]!.text.includes(duplicateMark), `the copy after the restart is marked:\n${copies[0]!.text}`);
  } finally {
    await teardown(r);
  }
});

test("after-print-before-ledger: the printer has the slip, the ledger does not; the next copy says MAY BE DUPLICATE", async () => {
  const r = await rig();
  try {
    let server = await start(r, { at: "after-print-before-ledger" });
    const table = await openTable(await staff(server), "T1");
    confirmUnanswered(table);
    await crashed(server);
    assert.is(r.kitchen.slips().length, 1, "the printer confirmed the whole slip before the crash");
    assert.not.ok(isMarked(r.kitchen.slips()[0]!), "the first copy is unmarked");

    server = await start(r);
    const [ticketId] = kitchenTicketIds(server);
    await eventually(() => slipState(server, ticketId!) === "printed", 10_000, "the slip settled after the restart");
    const copies = slipsOf(r.kitchen, ticketId!);
    assert.is(copies.length, 2, describeSlips(copies));
    assert.not.ok(isMarked(copies[0]!));
    assert.ok(copies[1]!.text.includes(duplicateMark), `the copy after the restart is marked:\n${copies[1]!.text}`);
  } finally {
    await teardown(r);
  }
});

test("CRASH_AT with an unknown name stops the server at start", async () => {
  const server = await startServer({ env: { CRASH_AT: "no-such-point" }, waitForListening: false });
  const exit = await server.exit;
  assert.is.not(exit.code, 0);
  assert.ok(server.output.join("").includes("unknown crash point"), server.output.join(""));
});

/**
 * A TCP proxy in front of a printer that counts connections open at once (from accept until the
 * server's side ends). Connection `holdFirst` (the start-up health check) is never forwarded, so
 * the server's status query stays open until its own timeout.
 */
class CountingProxy {
  accepted = 0;
  open = 0;
  maxOpen = 0;
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;

  constructor(private readonly upstreamPort: number, private readonly holdFirst: boolean) {}

  async start(): Promise<number> {
    const server = createServer((client) => this.#accept(client));
    this.#server = server;
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return (server.address() as { port: number }).port;
  }

  #accept(client: Socket): void {
    const n = ++this.accepted;
    this.#sockets.add(client);
    let counted = true;
    this.open++;
    // Read the EOF of a connection the server closed just before this one first (same poll round).
    setImmediate(() => {
      if (counted) this.maxOpen = Math.max(this.maxOpen, this.open);
    });
    const done = () => {
      if (!counted) return;
      counted = false;
      this.open--;
    };
    client.on("end", done);
    client.on("close", done);
    client.on("error", done);
    if (this.holdFirst && n === 1) {
      client.resume(); // swallow the status query, answer nothing
      return;
    }
    const upstream = connect(this.upstreamPort, "127.0.0.1");
    this.#sockets.add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
  }

  async stop(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((r) => (this.#server ? this.#server.close(() => r()) : r()));
  }
}

test("a printer's health check never overlaps one of its jobs (one connection at a time)", async () => {
  let proxy: CountingProxy | undefined;
  // The start-up status query hangs for up to connectTimeoutMs; a job confirmed meanwhile must wait for it.
  const r = await rig({ ...fastPrinting, connectTimeoutMs: 4_000, completionTimeoutMs: 4_000, healthCheckEverySeconds: 3_600 }, async (port) => {
    proxy = new CountingProxy(port, true);
    return proxy.start();
  });
  try {
    const server = await start(r);
    await eventually(() => proxy!.accepted >= 1, 5_000, "the start-up health check connected");
    assert.is(proxy!.open, 1, "the health check is still waiting for its answer");
    const table = await openTable(await staff(server), "T1");
    const reply = await table.command<{ batchId: string }>("confirm", { lines: [jeyuk] });
    assert.ok(reply.ok, JSON.stringify(reply));
    const ticketId = `${reply.ok ? reply.data.batchId : ""}-kitchen`;
    await eventually(() => slipState(server, ticketId) === "printed", 15_000, "the slip printed");
    assert.is(slipsOf(r.kitchen, ticketId).length, 1);
    assert.is(proxy!.accepted, 2, "one health check, one job");
    assert.is(proxy!.maxOpen, 1, "the job connected while the health check was still open");
  } finally {
    await teardown(r);
    await proxy?.stop();
  }
});

test.run();

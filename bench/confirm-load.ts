import { monitorEventLoopDelay } from "node:perf_hooks";
import { PosClient, type CommandReply, type TableConnection } from "../clients/pos-client.ts";
import type { ServerProcess } from "../test/support/server-process.ts";
import { MetricsProbe, processCpuMs, type ServerMetrics } from "./server-control.ts";
import { printBacklogNow, waitForPrintDrain, type PrintBacklog } from "./print-drain.ts";
import { readCommitCounters, splitCommits, type CommitSplit } from "./commit-split.ts";
import { LatencyRecorder, Tally, round, type LatencySummary } from "./stats.ts";
import { benchSettings, benchStore, confirmLines, sleep, tableId } from "./settings.ts";

export interface LevelResult {
  readonly clients: number;
  readonly tables: string;
  readonly measuredS: number;
  readonly confirms: number;
  readonly confirmsPerSecond: number;
  readonly latency: LatencySummary;
  readonly errors: { readonly total: number; readonly byCode: Record<string, number> };
  readonly sessionRotations: { readonly count: number; readonly meanMs: number; readonly errors: number };
  readonly pacedWaits: number;
  readonly server: {
    readonly eventLoopDelayP99Ms: number;
    readonly eventLoopDelayMaxMs: number;
    readonly commits: number;
    readonly units: number;
    readonly unitsPerCommit: number;
    readonly cpuPercent: number | undefined;
  };
  readonly bench: { readonly eventLoopDelayP99Ms: number; readonly cpuPercent: number };
  readonly printing: PrintBacklog;
  /** Issue 15: the window's durable commits split as far as the server's counters allow. */
  readonly commitSplit: CommitSplit;
}

/** What a level measures for how long, and what another part (the fan-out) hooks into. */
export interface LevelOptions {
  readonly warmUpMs: number;
  readonly measureMs: number;
  /** How long to wait for the level's slips to print afterwards (0: just read the backlog). */
  readonly printDrainTimeoutMs: number;
  /** Once the window is known (performance.now() times). */
  readonly onWindow?: (startAt: number, endAt: number) => void;
  /** Every ok confirm reply, with the time it arrived; `counted`: inside the window. */
  readonly onConfirmed?: (data: Record<string, unknown>, at: number, counted: boolean) => void;
  /** After the loops stopped, before the sessions are closed. */
  readonly beforeClose?: () => Promise<void>;
}

const levelDefaults: LevelOptions = { warmUpMs: benchSettings.warmUpMs, measureMs: benchSettings.measureMs, printDrainTimeoutMs: benchSettings.printDrainTimeoutMs };

/** One measuring window, shared by all clients of a level. */
interface Window {
  readonly startAt: number;
  readonly endAt: number;
  readonly latency: LatencyRecorder;
  readonly errors: Tally;
  readonly onConfirmed: LevelOptions["onConfirmed"];
  confirms: number;
  rotations: number;
  rotationMs: number;
  rotationErrors: number;
  pacedWaits: number;
}

/** A POS terminal on its own table, plus the pacing that keeps it under the room's flood guard. */
export interface BenchClient {
  readonly tableId: string;
  readonly table: TableConnection;
  confirmsInSession: number;
  readonly sendTimes: Float64Array;
  sendIndex: number;
}

/**
 * Runs `clients` closed-loop POS clients, each on its own fresh table, confirming for
 * warm-up + measure; only confirms that complete inside the measuring window are counted.
 */
export async function runConfirmLevel(server: ServerProcess, probe: MetricsProbe, clients: number, firstTable: number, options: LevelOptions = levelDefaults): Promise<LevelResult> {
  const tableIds = Array.from({ length: clients }, (_, i) => tableId(firstTable + i));
  const terminals = await Promise.all(tableIds.map((id) => openClient(server.endpoint, id)));
  const now = performance.now();
  const window: Window = {
    startAt: now + options.warmUpMs, endAt: now + options.warmUpMs + options.measureMs,
    latency: new LatencyRecorder(benchSettings.latencySamplesMax), errors: new Tally(), onConfirmed: options.onConfirmed,
    confirms: 0, rotations: 0, rotationMs: 0, rotationErrors: 0, pacedWaits: 0,
  };
  options.onWindow?.(window.startAt, window.endAt);
  const loops = terminals.map((c) => confirmLoop(c, window));
  const observed = await observeWindow(server, probe, window);
  await Promise.all(loops);
  const burstEndAt = performance.now(); // the last confirm of the level has its reply
  await options.beforeClose?.();
  await Promise.all(terminals.map((c) => closeTable(c, window)));
  const printing = await waitForPrintDrain(server, observed.printBacklogAtEnd, options.printDrainTimeoutMs, burstEndAt);
  const measuredS = (window.endAt - window.startAt) / 1000;
  const commits = observed.after.writer.commits - observed.before.writer.commits;
  const units = observed.after.writer.units - observed.before.writer.units;
  return {
    clients,
    tables: `${tableIds[0]}..${tableIds[tableIds.length - 1]}`,
    measuredS: round(measuredS, 3),
    confirms: window.confirms,
    confirmsPerSecond: round(window.confirms / measuredS, 1),
    latency: window.latency.summary(),
    errors: { total: window.errors.total, byCode: window.errors.toJSON() },
    sessionRotations: { count: window.rotations, meanMs: round(window.rotations > 0 ? window.rotationMs / window.rotations : 0), errors: window.rotationErrors },
    pacedWaits: window.pacedWaits,
    server: {
      eventLoopDelayP99Ms: round(observed.after.eventLoopDelayP99Ms),
      eventLoopDelayMaxMs: round(observed.after.eventLoopDelayMaxMs),
      commits,
      units,
      unitsPerCommit: round(commits > 0 ? units / commits : 0),
      cpuPercent: observed.serverCpuPercent,
    },
    bench: observed.bench,
    printing,
    commitSplit: splitCommits(observed.countersBefore, observed.countersAfter, window.confirms, clients),
  };
}

/** A POS terminal (as the admin, see benchStore) on table `id` with a fresh session open. */
export async function openClient(endpoint: string, id: string): Promise<BenchClient> {
  const pos = await PosClient.login(endpoint, benchStore.storeId, benchStore.terminal.id, benchStore.terminal.pin);
  const table = await pos.joinTable(id);
  expectOk(await table.command("session.open", { guests: 2 }), `session.open on ${id}`);
  return { tableId: id, table, confirmsInSession: 0, sendTimes: new Float64Array(benchSettings.clientMessagesPerSecondMax), sendIndex: 0 };
}

/** Reads server metrics at the window's edges (reset=1 at the start) and CPU use of both processes. */
async function observeWindow(server: ServerProcess, probe: MetricsProbe, window: Window) {
  await sleep(window.startAt - performance.now());
  const before: ServerMetrics = await probe.read(true);
  const countersBefore = await readCommitCounters(server, before.writer);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const serverCpu0 = processCpuMs(server.child.pid);
  const benchCpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(window.endAt - performance.now());
  const after: ServerMetrics = await probe.read();
  const countersAfter = await readCommitCounters(server, after.writer);
  const printBacklogAtEnd = printBacklogNow(server);
  const elapsedMs = performance.now() - t0;
  const serverCpu1 = processCpuMs(server.child.pid);
  const benchCpu = process.cpuUsage(benchCpu0);
  loopDelay.disable();
  const serverCpuPercent = serverCpu0 !== undefined && serverCpu1 !== undefined ? round(((serverCpu1 - serverCpu0) / elapsedMs) * 100, 0) : undefined;
  const bench = { eventLoopDelayP99Ms: round(loopDelay.percentile(99) / 1e6), cpuPercent: round(((benchCpu.user + benchCpu.system) / 1000 / elapsedMs) * 100, 0) };
  return { before, after, countersBefore, countersAfter, serverCpuPercent, bench, printBacklogAtEnd };
}

async function confirmLoop(client: BenchClient, window: Window): Promise<void> {
  let consecutiveErrors = 0;
  while (performance.now() < window.endAt) {
    if (client.confirmsInSession >= benchSettings.confirmsPerSession) await rotateSession(client, window);
    await pace(client, window);
    const t0 = performance.now();
    let reply: CommandReply;
    try {
      reply = await client.table.command("confirm", { lines: confirmLines }, undefined, benchSettings.commandTimeoutMs);
    } catch (error) {
      // A thrown request is a lost connection or a timeout; this client cannot go on.
      window.errors.add(`THROWN: ${error instanceof Error ? error.message : String(error)}`.slice(0, 120));
      return;
    }
    const t1 = performance.now();
    const counted = t1 >= window.startAt && t1 <= window.endAt;
    if (reply.ok) {
      consecutiveErrors = 0;
      client.confirmsInSession += 1;
      window.onConfirmed?.(reply.data, t1, counted);
      if (counted) {
        window.confirms += 1;
        window.latency.record(t1 - t0);
      }
    } else {
      window.errors.add(reply.error.code);
      consecutiveErrors += 1;
      if (consecutiveErrors >= benchSettings.consecutiveErrorsMax) return;
    }
  }
}

/** Waits while this client has already sent its per-second maximum within the last second. */
async function pace(client: BenchClient, window: Window): Promise<void> {
  const slots = client.sendTimes.length;
  const oldest = client.sendTimes[client.sendIndex]!; // the send `slots` sends ago (0 until the ring fills)
  const waitMs = oldest + 1000 - performance.now();
  if (oldest > 0 && waitMs > 0) {
    window.pacedWaits += 1;
    await sleep(waitMs + 1);
  }
  client.sendTimes[client.sendIndex] = performance.now();
  client.sendIndex = (client.sendIndex + 1) % slots;
}

/** Closes the session (as admin: it has confirmed items) and opens a fresh one; not a latency sample. */
async function rotateSession(client: BenchClient, window: Window): Promise<void> {
  const t0 = performance.now();
  try {
    await pace(client, window);
    await closeSession(client);
    await pace(client, window);
    expectOk(await client.table.command("session.open", { guests: 2 }), `session.open on ${client.tableId}`);
  } catch (error) {
    window.rotationErrors += 1;
    window.errors.add(`ROTATION: ${error instanceof Error ? error.message : String(error)}`.slice(0, 120));
  }
  client.confirmsInSession = 0;
  window.rotations += 1;
  window.rotationMs += performance.now() - t0;
}

async function closeSession(client: BenchClient): Promise<void> {
  expectOk(await client.table.command("session.close", { reason: "bench: session rotation" }), `session.close on ${client.tableId}`);
}

/** After a level: close its sessions (the tables are then free for reuse) and leave. */
async function closeTable(client: BenchClient, window: Window): Promise<void> {
  try {
    await closeSession(client);
  } catch (error) {
    // Counted and shown: the level's numbers stand, but the table may not be reusable.
    window.errors.add(`CLEANUP: ${error instanceof Error ? error.message : String(error)}`.slice(0, 120));
  }
  await client.table.leave();
}

export function expectOk(reply: CommandReply, what: string): void {
  if (!reply.ok) throw new Error(`${what} failed: ${reply.error.code} ${reply.error.message}`);
}

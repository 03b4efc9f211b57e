import type { CommandReply } from "../clients/pos-client.ts";
import { PrinterEmulator } from "../printers/index.ts";
import type { ServerProcess } from "../test/support/server-process.ts";
import { openClient, type BenchClient } from "./confirm-load.ts";
import { printCounts } from "./print-drain.ts";
import { runActorDrain, type ActorDrainResult } from "./actor-drain.ts";
import { runRawPipelined, runRawPrint, type RawPrintResult } from "./raw-print.ts";
import { processCpuMs, removeBenchDir, startBenchServer, stopBenchServer, type BenchPrinter } from "./server-control.ts";
import { SlipWatch, storedAtMs } from "./slip-watch.ts";
import { LatencyRecorder, Tally, round, type LatencySummary } from "./stats.ts";
import { benchSettings, confirmLines, kitchenTicketId, sleep, tableId } from "./settings.ts";

export interface PrintThroughput {
  readonly clients: number;
  readonly confirms: number;
  readonly errors: { readonly total: number; readonly byCode: Record<string, number> };
  /** First confirm sent → last reply. */
  readonly confirmS: number;
  readonly confirmsPerSecond: number;
  readonly slips: number;
  /** First confirm sent → the last slip stored by an emulator. */
  readonly allPrintedS: number;
  readonly slipsPerSecond: number;
  /** Per printer (kitchen → A, bar → B): its slips over first send → its last slip. */
  readonly kitchenSlipsPerSecond: number;
  readonly barSlipsPerSecond: number;
  /** Last confirm reply → last slip stored: the print backlog the batch left. */
  readonly tailS: number;
  /** Slips stored more than unprintedWithinS after the last confirm reply (goal: 0). */
  readonly unprintedAfterS: { readonly withinS: number; readonly slips: number };
  readonly serverCpuPercent: number | undefined;
  readonly benchCpuPercent: number;
  readonly bytesPerSlip: number;
}

export interface PrintLatency {
  readonly clients: number;
  /** Confirm's ok reply at the POS → emulator A stored the kitchen slip (receivedAt, ms resolution). */
  readonly toSlip: LatencySummary;
  /** Slips stored before the POS had its reply (negative samples, kept as is). */
  readonly beforeReply: number;
  /** The confirm itself (send → reply), for context. */
  readonly confirmReply: LatencySummary;
  readonly errors: { readonly total: number; readonly byCode: Record<string, number> };
}

export interface PrintingResult {
  readonly printers: readonly { readonly id: string; readonly stationIds: readonly string[]; readonly emulator: "A" | "B" }[];
  readonly throughput: PrintThroughput;
  readonly latency: PrintLatency;
  readonly raw: RawPrintResult;
  /** The same bytes pipelined on one connection per emulator, with the actor's window (like with like). */
  readonly rawPipelined: RawPrintResult;
  /** Project / raw: slips per second (against sendJob's fresh connections, and against the pipelined line), and confirm → slip latency against sendJob's. */
  readonly ratios: { readonly slipsPerSecond: number; readonly slipsPerSecondPipelined: number; readonly p50: number; readonly p99: number };
  /** print_slips rows that ended failed (should be 0 with healthy emulators). */
  readonly failedSlips: number;
  /**
   * The actors alone draining a backlog through a real SQLite ledger (bench/actor-drain.ts): the
   * end-to-end figure above is capped by how fast confirms arrive, this one by the actor.
   */
  readonly actorDrain: ActorDrainResult;
  /** Actor drain / raw: against sendJob's fresh connections and against the pipelined line. */
  readonly drainRatios: { readonly sendJob: number; readonly pipelined: number };
}

/**
 * Issue 5, on a server of its own (the bench's first server has stopped): its printers are
 * emulators in this process (kitchen → A, bar → B) with the config's `printing` defaults.
 * The raw ceiling runs first, with no server at all. `output` is the print server's output.
 */
export async function runPrintingBench(onOutput: (output: readonly string[]) => void): Promise<PrintingResult> {
  const raw = await runRawPrint();
  const rawPipelined = await runRawPipelined();
  const actorDrain = await runActorDrain();
  const kitchen = new PrinterEmulator({ host: "127.0.0.1", port: 0 });
  const bar = new PrinterEmulator({ host: "127.0.0.1", port: 0 });
  await kitchen.start();
  await bar.start();
  const printers: BenchPrinter[] = [
    { id: "pa", name: "주방 프린터", host: "127.0.0.1", port: kitchen.port, stationIds: ["kitchen"] },
    { id: "pb", name: "바 프린터", host: "127.0.0.1", port: bar.port, stationIds: ["bar"] },
  ];
  let started: { server: ServerProcess; dir: string } | undefined;
  try {
    started = await startBenchServer(printers);
    const { server } = started;
    const settings = benchSettings.printing;
    const throughput = await measureThroughput(server, kitchen, bar, 1);
    const latency = await measureLatency(server, kitchen, 1 + settings.batchClients);
    const failedSlips = printCounts(server.databaseFile)?.failed ?? 0;
    return {
      printers: [{ id: "pa", stationIds: ["kitchen"], emulator: "A" }, { id: "pb", stationIds: ["bar"], emulator: "B" }],
      throughput,
      latency,
      raw,
      rawPipelined,
      ratios: {
        slipsPerSecond: round(throughput.slipsPerSecond / raw.slipsPerSecond),
        slipsPerSecondPipelined: round(throughput.slipsPerSecond / rawPipelined.slipsPerSecond),
        p50: round(latency.toSlip.p50Ms / raw.latency.p50Ms, 1),
        p99: round(latency.toSlip.p99Ms / raw.latency.p99Ms, 1),
      },
      failedSlips,
      actorDrain,
      drainRatios: { sendJob: round(actorDrain.slipsPerSecond / raw.slipsPerSecond), pipelined: round(actorDrain.slipsPerSecond / rawPipelined.slipsPerSecond) },
    };
  } finally {
    if (started) {
      onOutput(started.server.output);
      await stopBenchServer(started.server);
      removeBenchDir(started.dir);
    }
    await kitchen.stop();
    await bar.stop();
  }
}

/** (a) batchConfirms confirms as fast as batchClients can; then until all 2N slips are on A and B. */
async function measureThroughput(server: ServerProcess, kitchen: PrinterEmulator, bar: PrinterEmulator, firstTable: number): Promise<PrintThroughput> {
  const settings = benchSettings.printing;
  const clients = await openClients(server, settings.batchClients, firstTable);
  kitchen.clear();
  bar.clear();
  const bytes0 = kitchen.stats().bytesReceived + bar.stats().bytesReceived;
  const errors = new Tally();
  let sent = 0;
  let ok = 0;
  let lastReplyAt = 0;
  const serverCpu0 = processCpuMs(server.child.pid);
  const benchCpu0 = process.cpuUsage();
  const startedAt = Date.now();
  await Promise.all(clients.map(async (client) => {
    while (sent < settings.batchConfirms) {
      sent += 1;
      const reply = await confirm(client);
      lastReplyAt = Date.now();
      if (reply.ok) ok += 1;
      else errors.add(reply.error.code);
    }
  }));
  const deadline = performance.now() + settings.batchTimeoutMs;
  while ((kitchen.slips().length < ok || bar.slips().length < ok) && performance.now() < deadline) await sleep(settings.slipPollMs);
  const kitchenSlips = kitchen.slips();
  const barSlips = bar.slips();
  if (kitchenSlips.length < ok || barSlips.length < ok) throw new Error(`only ${kitchenSlips.length} kitchen and ${barSlips.length} bar slips of ${ok} each within ${settings.batchTimeoutMs} ms`);
  const lastOf = (slips: typeof kitchenSlips) => Math.max(...slips.map(storedAtMs));
  const kitchenLast = lastOf(kitchenSlips);
  const barLast = lastOf(barSlips);
  const lastStored = Math.max(kitchenLast, barLast);
  const elapsedMs = Date.now() - startedAt;
  const serverCpu1 = processCpuMs(server.child.pid);
  const benchCpu = process.cpuUsage(benchCpu0);
  await leaveAll(clients);
  const slips = kitchenSlips.length + barSlips.length;
  const allPrintedS = (lastStored - startedAt) / 1000;
  return {
    clients: clients.length,
    confirms: ok,
    errors: { total: errors.total, byCode: errors.toJSON() },
    confirmS: round((lastReplyAt - startedAt) / 1000, 3),
    confirmsPerSecond: round(ok / ((lastReplyAt - startedAt) / 1000), 1),
    slips,
    allPrintedS: round(allPrintedS, 3),
    slipsPerSecond: round(slips / allPrintedS, 1),
    kitchenSlipsPerSecond: round(kitchenSlips.length / ((kitchenLast - startedAt) / 1000), 1),
    barSlipsPerSecond: round(barSlips.length / ((barLast - startedAt) / 1000), 1),
    tailS: round((lastStored - lastReplyAt) / 1000, 3),
    unprintedAfterS: {
      withinS: benchSettings.issue15.unprintedWithinS,
      slips: [...kitchenSlips, ...barSlips].filter((s) => storedAtMs(s) > lastReplyAt + benchSettings.issue15.unprintedWithinS * 1000).length,
    },
    serverCpuPercent: serverCpu0 !== undefined && serverCpu1 !== undefined ? round(((serverCpu1 - serverCpu0) / elapsedMs) * 100, 0) : undefined,
    benchCpuPercent: round(((benchCpu.user + benchCpu.system) / 1000 / elapsedMs) * 100, 0),
    bytesPerSlip: round((kitchen.stats().bytesReceived + bar.stats().bytesReceived - bytes0) / slips, 0),
  };
}

/** (b) A light closed loop: confirm, wait until its kitchen slip is on A, confirm again. */
async function measureLatency(server: ServerProcess, kitchen: PrinterEmulator, firstTable: number): Promise<PrintLatency> {
  const settings = benchSettings.printing;
  const clients = await openClients(server, settings.latencyClients, firstTable);
  kitchen.clear();
  const watch = new SlipWatch(kitchen);
  const samples = settings.latencyClients * settings.latencyConfirmsPerClient;
  const toSlip = new LatencyRecorder(samples);
  const confirmReply = new LatencyRecorder(samples);
  const errors = new Tally();
  let beforeReply = 0;
  await Promise.all(clients.map(async (client) => {
    for (let i = 0; i < settings.latencyConfirmsPerClient; i++) {
      const t0 = performance.now();
      const reply = await confirm(client);
      const repliedAt = Date.now(); // wall clock, as the slip's receivedAt
      if (!reply.ok) {
        errors.add(reply.error.code);
        continue;
      }
      confirmReply.record(performance.now() - t0);
      const slip = await watch.waitFor(kitchenTicketId(String(reply.data.batchId)));
      const ms = storedAtMs(slip) - repliedAt;
      if (ms < 0) beforeReply += 1;
      toSlip.record(ms);
    }
  }));
  await leaveAll(clients);
  return { clients: clients.length, toSlip: toSlip.summary(), beforeReply, confirmReply: confirmReply.summary(), errors: { total: errors.total, byCode: errors.toJSON() } };
}

function openClients(server: ServerProcess, count: number, firstTable: number): Promise<BenchClient[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => openClient(server.endpoint, tableId(firstTable + i))));
}

function confirm(client: BenchClient): Promise<CommandReply> {
  return client.table.command("confirm", { lines: confirmLines }, undefined, benchSettings.commandTimeoutMs);
}

async function leaveAll(clients: readonly BenchClient[]): Promise<void> {
  await Promise.all(clients.map((c) => c.table.leave()));
}

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CommandReply, PosClient } from "../clients/pos-client.ts";
import { startServer, tempDir, writeConfig, type ServerProcess } from "../test/support/server-process.ts";
import type { RushPrinter } from "./rush-printer.ts";
import { describe, openDisplays, openStoreClients, rushConfig, startPrinters, type RushDisplay, type RushPhone, type RushTable } from "./rush-store.ts";
import { TicketTracker } from "./rush-tickets.ts";
import { orderLines, rushLimits, seededRandom, type RushSettings } from "./rush-settings.ts";
import { processCpuMs, removeBenchDir, stopBenchServer } from "./server-control.ts";
import { LatencyRecorder, Tally, round, type LatencySummary } from "./stats.ts";
import { sleep } from "./settings.ts";

export interface StepResult {
  readonly stores: number;
  readonly stepS: number;
  readonly arrivals: number;
  readonly sent: number;
  /** Confirms that got a reply (ok or refused); sent − answered never answered. */
  readonly answered: number;
  readonly ok: number;
  readonly viaPhone: number;
  /** Phone orders sent by the POS instead: the table's phones were at the room's QR limits or busy with an order. */
  readonly qrFallbacks: number;
  /** From the time the confirm was meant to be sent to its reply (open loop: queueing counts). */
  readonly confirm: LatencySummary;
  readonly confirmPos: LatencySummary;
  readonly confirmPhone: LatencySummary;
  /** Ok reply → ticket in a KDS's state, over every ticket × display of its store. */
  readonly kds: LatencySummary & { readonly pairs: number; readonly missing: number; readonly drops: number };
  /** Ok reply → the emulator stored the slip (after its print time). */
  readonly paper: LatencySummary;
  readonly slips: { readonly expected: number; readonly printed: number; readonly outstanding: number; readonly duplicates: number; readonly unknown: number; readonly printerFaults: number; readonly faultS: number };
  readonly errors: { readonly total: number; readonly byCode: Record<string, number> };
  /** Server process over the arrivals: CPU (100% = one core) and RSS at their end, in total and per store. */
  readonly server: { readonly cpuPercent: number | undefined; readonly cpuPercentPerStore: number | undefined; readonly rssMB: number | undefined; readonly rssMBPerStore: number | undefined };
  readonly benchCpuPercent: number;
  readonly drainS: number;
  readonly pass: boolean;
  readonly serverWarnings: readonly string[];
}

interface Arrival {
  readonly at: number;
  readonly store: number;
}

/**
 * The rush's arrivals, per store a Poisson process whose rate swells from base to peak in the
 * middle of the step and falls back (sin²), drawn by thinning a process at the peak rate.
 */
export function rushArrivals(settings: RushSettings, stores: number, random: () => number): Arrival[] {
  const { baseRatePerStore: base, peakRatePerStore: peak, stepMs } = settings;
  const top = Math.max(base, peak);
  const arrivals: Arrival[] = [];
  for (let store = 0; store < stores; store++) {
    for (let t = 0; ;) {
      t += (-Math.log(1 - random()) / top) * 1000;
      if (t >= stepMs) break;
      const rate = base + (peak - base) * Math.sin((Math.PI * t) / stepMs) ** 2;
      if (random() < rate / top && arrivals.length < rushLimits.samplesMax) arrivals.push({ at: t, store });
    }
  }
  return arrivals.sort((a, b) => a.at - b.at);
}

/** One step: N stores on a fresh server, the rush, the drain, the figures. */
export async function runStep(settings: RushSettings, stores: number, progress: (line: string) => void): Promise<StepResult> {
  // Two streams: the orders' draws stay the same whatever the printers' timers draw meanwhile.
  const random = seededRandom(settings.seed * 7919 + stores);
  const printerRandom = seededRandom(settings.seed * 104729 + stores);
  const printers = await startPrinters(settings, stores, printerRandom);
  const ports = await Promise.all(printers.map((mine) => Promise.all(mine.map((p) => p.start()))));
  const dir = tempDir("rush");
  const errors = new Tally();
  let server: ServerProcess | undefined;
  const displays: RushDisplay[][] = [];
  const tables: RushTable[][] = [];
  const terminals: PosClient[] = [];
  try {
    server = await startServer({ dataDir: join(dir, "data"), env: { CONFIG_FILE: writeConfig(dir, rushConfig(settings, ports)), LOG_LEVEL: process.env.RUSH_SERVER_LOG ? "info" : "warn" } });
    for (let s = 0; s < stores; s++) {
      const opened = await openStoreClients(server.endpoint, settings, s, (code) => errors.add(code));
      tables.push(opened.tables);
      terminals.push(...opened.terminals);
      displays.push(await openDisplays(server.endpoint, settings, s));
    }
    for (const p of printers.flat()) p.startFaults(settings.faultChancePerSecond, printerRandom, settings.faultMsMin, settings.faultMsMax);
    return await rush(settings, stores, server, tables, displays, printers, errors, random, progress);
  } finally {
    for (const d of displays.flat()) await d.leave().catch(() => undefined);
    await Promise.all(tables.flat().flatMap((t) => [t.pos, ...t.phones.map((p) => p.table)]).map((c) => Promise.race([c.leave().catch(() => undefined), sleep(2_000)])));
    if (server) await stopBenchServer(server);
    for (const p of printers.flat()) await p.stop();
    removeBenchDir(dir);
  }
}

async function rush(
  settings: RushSettings, stores: number, server: ServerProcess, tables: readonly RushTable[][], displays: readonly RushDisplay[][],
  printers: readonly RushPrinter[][], errors: Tally, random: () => number, progress: (line: string) => void,
): Promise<StepResult> {
  const tracker = new TicketTracker(printers, displays);
  const confirm = new LatencyRecorder(rushLimits.samplesMax);
  const confirmPos = new LatencyRecorder(rushLimits.samplesMax);
  const confirmPhone = new LatencyRecorder(rushLimits.samplesMax);
  const counts = { sent: 0, answered: 0, ok: 0, viaPhone: 0, qrFallbacks: 0 };
  const arrivals = rushArrivals(settings, stores, random);
  const inFlight = new Set<Promise<void>>();

  /** One order, meant to be sent at `meantAt`: the latency counts from then, whatever held it up. */
  const send = async (meantAt: number, via: "pos" | "phone", store: number, request: () => Promise<CommandReply>, stations: readonly string[]) => {
    counts.sent += 1;
    let reply: CommandReply;
    try {
      reply = await request();
    } catch (error) {
      errors.add(`THROWN: ${describe(error)}`);
      return;
    }
    const replyPerf = performance.now();
    const replyWall = Date.now();
    counts.answered += 1;
    if (!reply.ok) {
      errors.add(`${via} ${reply.error.code}`);
      return;
    }
    counts.ok += 1;
    const ms = replyPerf - meantAt;
    confirm.record(ms);
    (via === "pos" ? confirmPos : confirmPhone).record(ms);
    const batchId = String(reply.data.batchId);
    tracker.expect(store, stations.map((s) => `${batchId}-${s}`), replyPerf, replyWall);
  };

  const order = async (arrival: Arrival, meantAt: number) => {
    // A phone order goes to a table with phones; any other order to any table.
    const storeTables = tables[arrival.store]!;
    const qrTables = storeTables.filter((t) => t.phones.length > 0);
    const wantsPhone = random() < settings.qrShare && qrTables.length > 0;
    const pool = wantsPhone ? qrTables : storeTables;
    const table = pool[Math.floor(random() * pool.length)]!;
    const { lines, stations } = orderLines(settings.store.printers, random);
    const phone = wantsPhone ? freePhone(table, meantAt) : undefined;
    if (wantsPhone && phone === undefined) counts.qrFallbacks += 1;
    if (phone === undefined) {
      await send(meantAt, "pos", arrival.store, () => table.pos.command("confirm", { lines }, undefined, rushLimits.commandTimeoutMs), stations);
      return;
    }
    counts.viaPhone += 1;
    phone.confirmTimes.push(meantAt);
    table.qrConfirmTimes.push(meantAt);
    table.phoneOrderUnderWay = true;
    // The guest fills the cart when the arrival comes and taps "order" phoneThinkMs later: the
    // confirm is meant to go then, so a cart.add still under way by then is queueing that counts.
    const confirmMeantAt = meantAt + rushLimits.phoneThinkMs;
    await send(confirmMeantAt, "phone", arrival.store, async () => {
      for (const line of lines) {
        const added = await phone.table.command("cart.add", { ...line }, undefined, rushLimits.commandTimeoutMs);
        if (!added.ok) return added;
      }
      await sleep(confirmMeantAt - performance.now());
      return phone.table.command("cart.confirm", {}, undefined, rushLimits.commandTimeoutMs);
    }, stations).finally(() => {
      table.phoneOrderUnderWay = false;
    });
  };

  tracker.startPolling();
  const serverCpu0 = processCpuMs(server.child.pid);
  const benchCpu0 = process.cpuUsage();
  const t0 = performance.now() + 200;
  let next = 0;
  const ticker = setInterval(() => {
    const s = (performance.now() - t0) / 1000;
    const now = confirm.summary();
    progress(`  N=${stores}  ${s.toFixed(1)}s  sent ${counts.sent}  ok ${counts.ok}  in flight ${inFlight.size}  confirm p99 ${now.p99Ms} ms  slips out ${tracker.outstanding}  errors ${errors.total}`);
  }, rushLimits.progressEveryMs);
  try {
    while (next < arrivals.length) {
      const arrival = arrivals[next]!;
      const meantAt = t0 + arrival.at;
      const wait = meantAt - performance.now();
      if (wait > 1) await sleep(wait);
      next += 1;
      const p = order(arrival, meantAt).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await sleep(t0 + settings.stepMs - performance.now());
    await Promise.all(inFlight);
  } finally {
    clearInterval(ticker);
  }
  const elapsedMs = performance.now() - t0;
  const serverCpu1 = processCpuMs(server.child.pid);
  const benchCpu = process.cpuUsage(benchCpu0);
  const rssMB = rssMegabytes(server.child.pid);
  const drainStart = performance.now();
  while (performance.now() - drainStart < settings.drainMs && (tracker.outstanding > 0 || !tracker.allShown())) await sleep(rushLimits.slipPollMs);
  tracker.poll();
  tracker.stopPolling();
  const drainS = (performance.now() - drainStart) / 1000;
  const kdsMatch = tracker.matchDisplays();
  const cpuPercent = serverCpu0 !== undefined && serverCpu1 !== undefined ? round(((serverCpu1 - serverCpu0) / elapsedMs) * 100, 1) : undefined;
  const summary = confirm.summary();
  const paper = tracker.paper.summary();
  const allPrinters = printers.flat();
  const result: Omit<StepResult, "pass"> = {
    stores,
    stepS: round(elapsedMs / 1000, 1),
    arrivals: arrivals.length,
    ...counts,
    confirm: summary,
    confirmPos: confirmPos.summary(),
    confirmPhone: confirmPhone.summary(),
    kds: { ...tracker.kds.summary(), ...kdsMatch, drops: displays.flat().reduce((n, d) => n + d.drops, 0) },
    paper,
    slips: {
      expected: tracker.expected, printed: tracker.printed, outstanding: tracker.outstanding, duplicates: tracker.duplicates, unknown: tracker.unknownSlips,
      printerFaults: allPrinters.reduce((n, p) => n + p.faults, 0), faultS: round(allPrinters.reduce((n, p) => n + p.faultMs, 0) / 1000, 1),
    },
    errors: { total: errors.total, byCode: errors.toJSON() },
    server: {
      cpuPercent, cpuPercentPerStore: cpuPercent === undefined ? undefined : round(cpuPercent / stores, 1),
      rssMB, rssMBPerStore: rssMB === undefined ? undefined : round(rssMB / stores, 1),
    },
    benchCpuPercent: round(((benchCpu.user + benchCpu.system) / 1000 / elapsedMs) * 100, 1),
    drainS: round(drainS, 1),
    serverWarnings: [...new Set(server.output.join("").split("\n").filter((l) => l.trim() !== "").map((l) => l.slice(0, 200)))].slice(0, 20),
  };
  // RUSH_SERVER_LOG=<dir>: the whole server log of each step, for a step that failed.
  if (process.env.RUSH_SERVER_LOG) writeFileSync(join(process.env.RUSH_SERVER_LOG, `rush-server-N${stores}.log`), server.output.join(""));
  return { ...result, pass: stepPasses(result, settings) };
}

/** The step holds the limits: confirm p99 and confirm → paper p99, every confirm answered and ok. */
export function stepPasses(r: Omit<StepResult, "pass">, settings: RushSettings): boolean {
  return r.ok > 0 && r.answered === r.sent && r.errors.total === 0 && r.confirm.p99Ms <= settings.goal.confirmP99MsMax && r.paper.p99Ms <= settings.goal.paperP99MsMax && r.slips.outstanding === 0;
}

/**
 * A phone of the table under the room's QR limits (3 a phone, 10 a table, per sliding minute), and
 * none while another phone order there is under way: the table's guests share one cart, so a
 * second order would ride along with the first confirm and its own would find the cart empty.
 */
function freePhone(table: RushTable, now: number): RushPhone | undefined {
  if (table.phoneOrderUnderWay) return undefined;
  const minuteAgo = now - 60_000;
  prune(table.qrConfirmTimes, minuteAgo);
  if (table.qrConfirmTimes.length >= rushLimits.tableQrConfirmsPerMinute) return undefined;
  for (const phone of table.phones) {
    prune(phone.confirmTimes, minuteAgo);
    if (phone.confirmTimes.length < rushLimits.phoneConfirmsPerMinute) return phone;
  }
  return undefined;
}

function prune(times: number[], before: number): void {
  while (times.length > 0 && times[0]! < before) times.shift();
}

/** VmRSS of a process from /proc, in MB; undefined off Linux. */
function rssMegabytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? round(Number(match[1]) / 1024, 1) : undefined;
  } catch {
    return undefined;
  }
}

import { monitorEventLoopDelay } from "node:perf_hooks";
import { PosClient, type CommandReply, type TableConnection } from "../clients/pos-client.ts";
import type { ServerProcess } from "../test/support/server-process.ts";
import { MetricsProbe, processCpuMs, type ServerMetrics } from "./server-control.ts";
import { LatencyRecorder, Tally, round, type LatencySummary } from "./stats.ts";
import { benchStore, sleep } from "./settings.ts";
import { paymentsSettings as s } from "./payments-settings.ts";

export type PayMethod = "cash" | "card";

export interface MethodFigures {
  readonly terminals: number;
  /** Payments whose `payment.start` reply arrived inside the window. */
  readonly payments: number;
  readonly perSecond: number;
  /** `payment.start` send → reply, as the terminal sees it. */
  readonly latency: LatencySummary;
}

export interface PaymentsLevelResult {
  readonly clients: number;
  readonly tables: string;
  readonly measuredS: number;
  readonly paymentsPerSecond: number;
  readonly cash: MethodFigures;
  readonly card: MethodFigures;
  /** The other commands of the loop (send → reply, inside the window), for context. */
  readonly steps: { readonly open: LatencySummary; readonly confirm: LatencySummary; readonly quote: LatencySummary };
  /** Failed commands during warm-up and window, by step and code; a reply that is ok but not approved+closed counts too. */
  readonly errors: { readonly total: number; readonly byCode: Record<string, number> };
  readonly pacedWaits: number;
  readonly stoppedTerminals: number;
  readonly server: {
    readonly eventLoopDelayP99Ms: number;
    readonly eventLoopDelayMaxMs: number;
    readonly commits: number;
    readonly units: number;
    readonly unitsPerCommit: number;
    readonly cpuPercent: number | undefined;
  };
  readonly bench: { readonly eventLoopDelayP99Ms: number; readonly cpuPercent: number };
}

interface Terminal {
  readonly tableId: string;
  readonly method: PayMethod;
  readonly table: TableConnection;
  readonly pacer: Pacer;
  /** A step failed mid-cycle: the session may still be open, so the next cycle closes it first. */
  dirty: boolean;
  dead: boolean;
}

interface Window {
  readonly startAt: number;
  readonly endAt: number;
  readonly pay: Record<PayMethod, LatencyRecorder>;
  readonly steps: { open: LatencyRecorder; confirm: LatencyRecorder; quote: LatencyRecorder };
  readonly counted: Record<PayMethod, number>;
  readonly errors: Tally;
}

type Step = "open" | "confirm" | "quote" | PayMethod;

/**
 * One level: `clients` POS terminals, each on its own table, in a closed loop of
 * open → confirm one line → quote → pay the whole balance (even index cash, odd index card) for
 * warm-up + window. A payment counts when its reply lands inside the window.
 */
export async function runPaymentsLevel(server: ServerProcess, probe: MetricsProbe, tableIds: readonly string[]): Promise<PaymentsLevelResult> {
  const terminals = await Promise.all(tableIds.map((id, i) => connect(server.endpoint, id, i % 2 === 0 ? "cash" : "card")));
  const now = performance.now();
  const recorder = () => new LatencyRecorder(s.latencySamplesMax);
  const window: Window = {
    startAt: now + s.warmUpMs, endAt: now + s.warmUpMs + s.measureMs,
    pay: { cash: recorder(), card: recorder() }, steps: { open: recorder(), confirm: recorder(), quote: recorder() },
    counted: { cash: 0, card: 0 }, errors: new Tally(),
  };
  const loops = terminals.map((t) => terminalLoop(t, window));
  const observed = await observe(server, probe, window);
  await Promise.all(loops);
  // Every cycle ends with the session closed by its payment; a terminal that broke off mid-cycle cleans up.
  await Promise.all(terminals.map(async (t) => {
    if (t.dirty && !t.dead) await closeSession(t, window);
    await t.table.leave().catch(() => undefined);
  }));
  const measuredS = (window.endAt - window.startAt) / 1000;
  const commits = observed.after.writer.commits - observed.before.writer.commits;
  const units = observed.after.writer.units - observed.before.writer.units;
  const method = (m: PayMethod): MethodFigures => ({
    terminals: terminals.filter((t) => t.method === m).length,
    payments: window.counted[m],
    perSecond: round(window.counted[m] / measuredS, 1),
    latency: window.pay[m].summary(),
  });
  return {
    clients: terminals.length,
    tables: `${tableIds[0]}..${tableIds[tableIds.length - 1]}`,
    measuredS: round(measuredS, 3),
    paymentsPerSecond: round((window.counted.cash + window.counted.card) / measuredS, 1),
    cash: method("cash"),
    card: method("card"),
    steps: { open: window.steps.open.summary(), confirm: window.steps.confirm.summary(), quote: window.steps.quote.summary() },
    errors: { total: window.errors.total, byCode: window.errors.toJSON() },
    pacedWaits: terminals.reduce((sum, t) => sum + t.pacer.waits, 0),
    stoppedTerminals: terminals.filter((t) => t.dead).length,
    server: {
      eventLoopDelayP99Ms: round(observed.after.eventLoopDelayP99Ms),
      eventLoopDelayMaxMs: round(observed.after.eventLoopDelayMaxMs),
      commits,
      units,
      unitsPerCommit: round(commits > 0 ? units / commits : 0),
      cpuPercent: observed.serverCpuPercent,
    },
    bench: observed.bench,
  };
}

/** A POS terminal (as the admin: it may close a session left open by a failed step) on its own table. */
async function connect(endpoint: string, id: string, method: PayMethod): Promise<Terminal> {
  const pos = await PosClient.login(endpoint, benchStore.storeId, benchStore.terminal.id, benchStore.terminal.pin);
  const table = await pos.joinTable(id);
  return { tableId: id, method, table, pacer: new Pacer(), dirty: false, dead: false };
}

async function terminalLoop(t: Terminal, w: Window): Promise<void> {
  let consecutiveErrors = 0;
  while (performance.now() < w.endAt && !t.dead) {
    if (t.dirty) await closeSession(t, w);
    if (await cycle(t, w)) consecutiveErrors = 0;
    else if (++consecutiveErrors >= s.consecutiveErrorsMax) t.dead = true;
  }
}

/** One guest: open, one line, the quote, the whole balance. True when the table ended paid and closed. */
async function cycle(t: Terminal, w: Window): Promise<boolean> {
  // From here until the payment closes it the table may hold a live session (a refused open too: one left over).
  t.dirty = true;
  if (!(await step(t, w, "open", "session.open", { guests: 2 }))) return false;
  if (!(await step(t, w, "confirm", "confirm", { lines: [s.line] }))) return false;
  const quote = await step(t, w, "quote", "payment.quote", {});
  const amount = quote?.data.payableWon;
  if (typeof amount !== "number") {
    if (quote) w.errors.add("quote: no payableWon");
    return false;
  }
  const fields = t.method === "cash" ? { method: "cash", amount, tendered: amount } : { method: "card", amount };
  const paid = await step(t, w, t.method, "payment.start", fields);
  if (!paid) return false;
  const { status, sessionStatus } = paid.data as { status?: unknown; sessionStatus?: unknown };
  if (status !== "approved" || sessionStatus !== "closed") {
    w.errors.add(`${t.method}: ok but ${String(status)} / session ${String(sessionStatus)}`);
    return false;
  }
  t.dirty = false;
  // Only a payment that settled the bill counts; its latency is the terminal's send → reply.
  if (paid.at >= w.startAt && paid.at <= w.endAt) {
    w.pay[t.method].record(paid.ms);
    w.counted[t.method] += 1;
  }
  return true;
}

/**
 * Sends one command (paced); undefined on any failure (counted by code). A non-payment step's latency
 * is recorded here when its reply lands in the window; a payment's by the caller, once it is known to have settled.
 */
async function step(t: Terminal, w: Window, name: Step, type: string, fields: Record<string, unknown>): Promise<(Extract<CommandReply, { ok: true }> & { ms: number; at: number }) | undefined> {
  await t.pacer.next();
  const t0 = performance.now();
  let reply: CommandReply;
  try {
    reply = await t.table.command(type, fields, undefined, s.commandTimeoutMs);
  } catch (error) {
    // A lost connection or a timeout: this terminal cannot go on.
    w.errors.add(`${name}: THROWN ${error instanceof Error ? error.message : String(error)}`.slice(0, 120));
    t.dead = true;
    return undefined;
  }
  const t1 = performance.now();
  if (!reply.ok) {
    w.errors.add(`${name}: ${reply.error.code}`);
    return undefined;
  }
  if (name !== "cash" && name !== "card" && t1 >= w.startAt && t1 <= w.endAt) w.steps[name].record(t1 - t0);
  return { ...reply, ms: t1 - t0, at: t1 };
}

/**
 * Keeps one connection under the room's flood guard: at most `perSecond` sends in any second. A
 * slot is taken before the wait, so several commands under way on one connection share it correctly.
 */
export class Pacer {
  readonly #sendTimes: Float64Array;
  #index = 0;
  waits = 0;

  constructor(perSecond: number = s.clientMessagesPerSecondMax) {
    this.#sendTimes = new Float64Array(perSecond);
  }

  async next(): Promise<void> {
    const oldest = this.#sendTimes[this.#index]!; // the send `perSecond` sends ago (0 until the ring fills)
    const now = performance.now();
    const sendAt = oldest > 0 ? Math.max(now, oldest + 1001) : now;
    this.#sendTimes[this.#index] = sendAt;
    this.#index = (this.#index + 1) % this.#sendTimes.length;
    if (sendAt > now) {
      this.waits += 1;
      await sleep(sendAt - now);
    }
  }
}

/** session.close answers these when the table has no live session: nothing left to clean up. */
const nothingToClose = new Set(["NO_SESSION", "SESSION_CLOSED", "INVALID_TRANSITION"]);

/** After a failed step: close whatever session the table has (admin: writes off a balance); not a sample. */
async function closeSession(t: Terminal, w: Window): Promise<void> {
  await t.pacer.next();
  try {
    const reply = await t.table.command("session.close", { reason: "bench: payments cycle broke off" }, undefined, s.commandTimeoutMs);
    const stillOpen = !reply.ok && !nothingToClose.has(reply.error.code);
    if (stillOpen) w.errors.add(`cleanup: ${reply.ok ? "" : reply.error.code}`);
    t.dirty = stillOpen;
  } catch (error) {
    w.errors.add(`cleanup: THROWN ${error instanceof Error ? error.message : String(error)}`.slice(0, 120));
    t.dead = true;
  }
}

/** Server metrics at the window's edges (reset=1 at the start) and CPU of both processes over it. */
async function observe(server: ServerProcess, probe: MetricsProbe, w: Window) {
  await sleep(w.startAt - performance.now());
  const before: ServerMetrics = await probe.read(true);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const serverCpu0 = processCpuMs(server.child.pid);
  const benchCpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(w.endAt - performance.now());
  const after: ServerMetrics = await probe.read();
  const elapsedMs = performance.now() - t0;
  const serverCpu1 = processCpuMs(server.child.pid);
  const benchCpu = process.cpuUsage(benchCpu0);
  loopDelay.disable();
  const serverCpuPercent = serverCpu0 !== undefined && serverCpu1 !== undefined ? round(((serverCpu1 - serverCpu0) / elapsedMs) * 100, 0) : undefined;
  const bench = { eventLoopDelayP99Ms: round(loopDelay.percentile(99) / 1e6), cpuPercent: round(((benchCpu.user + benchCpu.system) / 1000 / elapsedMs) * 100, 0) };
  return { before, after, serverCpuPercent, bench };
}

import { PosClient, TableConnection, type CommandReply, type LoginResult } from "../clients/pos-client.ts";
import { customerLimits } from "../rooms/table/customer-limits.ts";
import { ApiError, type Phone } from "./qr-phones-join.ts";
import { LatencyRecorder, Tally } from "./stats.ts";
import { benchSettings, benchStore, sleep, tableId } from "./settings.ts";

/** Every knob of the QR phones benchmark (issue #12), named once. */
export const qrBenchSettings = {
  tables: 50,
  phonesPerTable: 4,
  /** T82..T131: the top of the bench config's T1..T131, so the standard config holds them. */
  firstTable: benchSettings.tableCount - 50 + 1,
  warmUpMs: benchSettings.warmUpMs,
  measureMs: benchSettings.measureMs,
  /** Server CPU with every client connected and nobody sending, subtracted for the "net" figure. */
  idleMs: 2_000,
  /** Phones schedule their last order this long before the window's end, so its replies land inside it. */
  phoneTailMs: 600,
  /** POST /api/qr/session at once from the bench (one address): under the gate's 20 in flight per address. */
  exchangeConcurrency: 16,
  exchangeBusyRetriesMax: 20,
  /** Phone joins under way at once (a dining room filling up, not one instant). */
  joinConcurrency: 16,
  /** One line per confirm for phones and POS alike: 김치찌개 x2 매운맛 (kitchen: one ticket, one slip). */
  line: { menuId: "kimchi-jjigae", quantity: 2, optionIds: ["hot"] },
  /** The bench server's AUTH_SECRET (set explicitly so the minted-token fallback can sign with it). */
  authSecret: "qr-bench-secret-qr-bench-secret-qr-bench!",
  /** Issuer the server's TokenService signs and checks (server/auth.ts). */
  tokenIssuer: "table-session-server",
  commandTimeoutMs: benchSettings.commandTimeoutMs,
  joinTimeoutMs: 15_000,
  clientMessagesPerSecondMax: benchSettings.clientMessagesPerSecondMax,
  samplesMax: 1_000_000,
  consecutiveErrorsMax: benchSettings.consecutiveErrorsMax,
} as const;

export type TokenPath = "qr-exchange" | "minted-jwt";

/** Sends at most `perSecond` messages in any second (the room drops a client over roomLimits.messagesPerSecondMax). */
export class Pacer {
  readonly #times: Float64Array;
  #i = 0;
  waits = 0;
  constructor(perSecond: number = qrBenchSettings.clientMessagesPerSecondMax) {
    this.#times = new Float64Array(perSecond);
  }
  async turn(): Promise<void> {
    const oldest = this.#times[this.#i]!;
    const waitMs = oldest + 1000 - performance.now();
    if (oldest > 0 && waitMs > 0) {
      this.waits += 1;
      await sleep(waitMs + 1);
    }
    this.#times[this.#i] = performance.now();
    this.#i = (this.#i + 1) % this.#times.length;
  }
}

/** A POS terminal (admin a1: it closes the sessions at the end) on one of the 50 tables, session open. */
export interface PosTerminal {
  readonly tableId: string;
  readonly table: TableConnection;
  readonly pacer: Pacer;
}

export async function openPosTerminals(endpoint: string, session: LoginResult, tableIds: readonly string[]): Promise<PosTerminal[]> {
  return Promise.all(tableIds.map(async (id) => {
    const table = await new PosClient(endpoint, session).joinTable(id, benchStore.storeId, qrBenchSettings.joinTimeoutMs);
    const reply = await table.command("session.open", { guests: qrBenchSettings.phonesPerTable });
    if (!reply.ok) throw new Error(`session.open on ${id}: ${reply.error.code} ${reply.error.message}`);
    return { tableId: id, table, pacer: new Pacer() };
  }));
}

// ---------------------------------------------------------------------------------------------
// Customer tokens: the real QR exchange, or (fallback) a JWT minted like test/e2e/qr-customers.test.ts.

export interface Window {
  readonly warmStartAt: number;
  readonly startAt: number;
  readonly endAt: number;
}

export function windowFromNow(): Window {
  const now = performance.now();
  return { warmStartAt: now, startAt: now + qrBenchSettings.warmUpMs, endAt: now + qrBenchSettings.warmUpMs + qrBenchSettings.measureMs };
}

export interface ConfirmTally {
  confirms: number;
  /** Every accepted confirm of the phase: warm-up, window and after (the work its CPU pays for). */
  accepted: number;
  scheduled: number;
  readonly confirm: LatencyRecorder;
  readonly cartAdd: LatencyRecorder;
  /** Refused or failed confirms (and cart.adds) in the warm-up and the window. */
  readonly errors: Tally;
}

export function newTally(): ConfirmTally {
  return { confirms: 0, accepted: 0, scheduled: 0, confirm: new LatencyRecorder(qrBenchSettings.samplesMax), cartAdd: new LatencyRecorder(qrBenchSettings.samplesMax), errors: new Tally() };
}

/**
 * How many orders each phone of a table makes, under the room's limits
 * (rooms/table/customer-limits.ts): 3 per token and 10 per table in a sliding minute. Seat 0
 * makes one order in the warm-up; the table's other 9 are the measured ones, spread over the
 * seats (3, 2, 2, 2 with the warm-up's: 2, 3, 2, 2 measured). The whole run fits in one minute,
 * so a table never gets more than its 10.
 */
export function phonePlan(seat: number): { warm: number; measured: number } {
  const perToken = customerLimits.confirmsPerTokenPerMinute;
  const perTable = customerLimits.confirmsPerTablePerMinute;
  const seats = qrBenchSettings.phonesPerTable;
  const warm = Array.from({ length: seats }, (_, s): number => (s === 0 ? 1 : 0));
  const measured = new Array<number>(seats).fill(0);
  let left = Math.min(perTable, perToken * seats) - warm.reduce((a, b) => a + b, 0);
  while (left > 0) {
    let progressed = false;
    for (let s = 0; s < seats && left > 0; s++) {
      if (warm[s]! + measured[s]! < perToken) {
        measured[s]! += 1;
        left -= 1;
        progressed = true;
      }
    }
    if (!progressed) break;
  }
  return { warm: warm[seat]!, measured: measured[seat]! };
}

/**
 * When one client makes its orders: `warm` at random times in the warm-up (ending 300 ms before
 * the window), then `measured` ones, one at a random time in each equal slice of the window (the
 * last slice ends phoneTailMs before the window's end, so the replies land inside it).
 */
export function orderTimes(window: Window, warm: number, measured: number): { at: number; measured: boolean }[] {
  const times: { at: number; measured: boolean }[] = [];
  const warmSpan = Math.max(0, window.startAt - window.warmStartAt - 300);
  for (let i = 0; i < warm; i++) times.push({ at: window.warmStartAt + Math.random() * warmSpan, measured: false });
  const span = Math.max(1, window.endAt - qrBenchSettings.phoneTailMs - window.startAt);
  const slice = span / Math.max(1, measured);
  for (let i = 0; i < measured; i++) times.push({ at: window.startAt + i * slice + Math.random() * slice, measured: true });
  return times;
}

/**
 * One phone's orders (phonePlan, at orderTimes): each is `cart.add` of one line, then
 * `cart.confirm`. Paced, not a closed loop: the limits allow a phone 3 confirms a minute. A
 * measured order counts when its confirm's reply lands in the window; warm-up orders never count.
 */
export async function phoneOrders(phone: Phone, window: Window, tally: ConfirmTally): Promise<void> {
  const plan = phonePlan(phone.seat);
  tally.scheduled += plan.measured;
  for (const { at, measured } of orderTimes(window, plan.warm, plan.measured)) {
    await sleep(at - performance.now());
    if (phone.closedWith !== undefined) {
      tally.errors.add(`CLOSED: ${phone.closedWith}`);
      return;
    }
    await phoneOrder(phone, window, tally, measured);
  }
}

async function phoneOrder(phone: Phone, window: Window, tally: ConfirmTally, measured: boolean): Promise<void> {
  const counted = (t: number) => measured && t >= window.startAt && t <= window.endAt;
  try {
    await phone.pacer.turn();
    const a0 = performance.now();
    const added = await phone.table.command("cart.add", qrBenchSettings.line, undefined, qrBenchSettings.commandTimeoutMs);
    const a1 = performance.now();
    if (!added.ok) {
      tally.errors.add(`cart.add ${added.error.code}`);
      return;
    }
    if (counted(a1)) tally.cartAdd.record(a1 - a0);
    await phone.pacer.turn();
    const c0 = performance.now();
    const confirmed = await phone.table.command("cart.confirm", {}, undefined, qrBenchSettings.commandTimeoutMs);
    const c1 = performance.now();
    if (!confirmed.ok) {
      tally.errors.add(confirmed.error.code);
      return;
    }
    tally.accepted += 1;
    if (counted(c1)) {
      tally.confirms += 1;
      tally.confirm.record(c1 - c0);
    }
  } catch (error) {
    tally.errors.add(`THROWN: ${describe(error)}`.slice(0, 120));
  }
}

/**
 * The POS at the phones' schedule: each terminal makes as many confirms as its table's phones
 * together (1 in the warm-up, 9 in the window), at the same kind of random times, so the POS's CPU
 * per confirm is also read at the phones' rate (group commit and idle costs alike).
 */
export async function posPaced(pos: PosTerminal, window: Window, tally: ConfirmTally): Promise<void> {
  let warm = 0;
  let measured = 0;
  for (let seat = 0; seat < qrBenchSettings.phonesPerTable; seat++) {
    const plan = phonePlan(seat);
    warm += plan.warm;
    measured += plan.measured;
  }
  tally.scheduled += measured;
  for (const { at, measured: isMeasured } of orderTimes(window, warm, measured)) {
    await sleep(at - performance.now());
    await posConfirm(pos, window, tally, isMeasured);
  }
}

/** One POS confirm of the line; true when it was accepted. */
async function posConfirm(pos: PosTerminal, window: Window, tally: ConfirmTally, measured: boolean): Promise<boolean> {
  await pos.pacer.turn();
  const t0 = performance.now();
  let reply: CommandReply;
  try {
    reply = await pos.table.command("confirm", { lines: [qrBenchSettings.line] }, undefined, qrBenchSettings.commandTimeoutMs);
  } catch (error) {
    tally.errors.add(`THROWN: ${describe(error)}`.slice(0, 120));
    return false;
  }
  const t1 = performance.now();
  if (!reply.ok) {
    tally.errors.add(reply.error.code);
    return false;
  }
  tally.accepted += 1;
  if (measured && t1 >= window.startAt && t1 <= window.endAt) {
    tally.confirms += 1;
    tally.confirm.record(t1 - t0);
  }
  return true;
}
export interface OverLimitProbe {
  readonly attempts: number;
  readonly byCode: Record<string, number>;
  readonly latency: LatencyRecorder;
}

/**
 * After the window (its CPU already read): every phone tries one more order. Each table has
 * used its 10 confirms of the minute, so every confirm should be RATE_LIMITED (by the token's 3
 * or the table's 10); the phone's cart is then cleared.
 */
export async function overLimitProbe(phones: readonly Phone[]): Promise<OverLimitProbe> {
  const byCode = new Tally();
  const latency = new LatencyRecorder(qrBenchSettings.samplesMax);
  await Promise.all(phones.map(async (phone) => {
    if (phone.closedWith !== undefined) return byCode.add(`CLOSED: ${phone.closedWith}`);
    try {
      await phone.pacer.turn();
      const added = await phone.table.command("cart.add", qrBenchSettings.line, undefined, qrBenchSettings.commandTimeoutMs);
      if (!added.ok) return byCode.add(`cart.add ${added.error.code}`);
      await phone.pacer.turn();
      const t0 = performance.now();
      const reply = await phone.table.command("cart.confirm", {}, undefined, qrBenchSettings.commandTimeoutMs);
      latency.record(performance.now() - t0);
      byCode.add(reply.ok ? "ok" : reply.error.code);
      if (!reply.ok) {
        await phone.pacer.turn();
        await phone.table.command("cart.clear", {}, undefined, qrBenchSettings.commandTimeoutMs);
      }
    } catch (error) {
      byCode.add(`THROWN: ${describe(error)}`.slice(0, 120));
    }
  }));
  return { attempts: phones.length, byCode: byCode.toJSON(), latency };
}

/** A POS terminal's closed loop: confirm one line, wait for the reply, again, until the window ends. */
export async function posLoop(pos: PosTerminal, window: Window, tally: ConfirmTally): Promise<void> {
  let consecutiveErrors = 0;
  while (performance.now() < window.endAt) {
    if (await posConfirm(pos, window, tally, true)) consecutiveErrors = 0;
    else if (++consecutiveErrors >= qrBenchSettings.consecutiveErrorsMax) return;
  }
}

// ---------------------------------------------------------------------------------------------

/** Runs `work` over `items`, at most `limit` at once; the first failure rejects (after the others settle). */
export async function runLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
}

export function describe(error: unknown): string {
  if (error instanceof ApiError) return `${error.status} ${error.code}: ${error.message}`;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return code === undefined ? error.message : `${String(code)} ${error.message}`;
  }
  return String(error);
}

export function benchTableIds(): string[] {
  return Array.from({ length: qrBenchSettings.tables }, (_, i) => tableId(qrBenchSettings.firstTable + i));
}

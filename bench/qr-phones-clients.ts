import { SignJWT } from "jose";
import { Client, type Room } from "@colyseus/sdk";
import { PosClient, TableConnection, type CommandReply, type LoginResult } from "../clients/pos-client.ts";
import { customerLimits } from "../rooms/table/customer-limits.ts";
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

export interface PhoneToken {
  readonly tableId: string;
  readonly token: string;
  readonly customerId: string;
  readonly path: TokenPath;
}

export interface TokenOutcome {
  readonly tokens: PhoneToken[];
  /** GET /api/tables/:id/qr, per table. */
  readonly qrLink: LatencyRecorder;
  /** POST /api/qr/session, per phone (from the bench's send, gate queueing included). */
  readonly exchange: LatencyRecorder;
  readonly exchangeBusyRetries: number;
  readonly errors: Tally;
  /** Why the fallback was taken, when it was. */
  readonly fallbackReason: string | undefined;
}

interface ApiBody<T> {
  readonly ok: boolean;
  readonly data?: T;
  readonly error?: { readonly code: string; readonly message: string };
}

class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

async function api<T>(url: string, init: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(qrBenchSettings.commandTimeoutMs) });
  let body: ApiBody<T> | undefined;
  try {
    body = (await response.json()) as ApiBody<T>;
  } catch {
    body = undefined;
  }
  if (!response.ok || !body?.ok || body.data === undefined) {
    const retryAfter = Number(response.headers.get("retry-after"));
    throw new ApiError(response.status, body?.error?.code ?? `HTTP_${response.status}`, body?.error?.message ?? response.statusText, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
  }
  return body.data;
}

/** The table token is the last path segment of the table's QR link (`<base>/q/<token>`). */
export function tableTokenOf(url: string): string {
  const last = new URL(url).pathname.split("/").filter(Boolean).at(-1);
  if (!last) throw new Error(`no table token in ${url}`);
  return decodeURIComponent(last);
}

/**
 * The real path first: per table the admin's QR link, then per phone the exchange. If the link
 * or the first exchange fails (the QR routes missing or broken), every phone gets a minted token
 * instead; a phone whose own exchange fails later (after BUSY retries) gets a minted one too,
 * and is counted under `errors`.
 */
export async function customerTokens(endpoint: string, adminToken: string, tables: readonly { tableId: string; sessionId: string }[]): Promise<TokenOutcome> {
  const qrLink = new LatencyRecorder(qrBenchSettings.samplesMax);
  const exchange = new LatencyRecorder(qrBenchSettings.samplesMax);
  const errors = new Tally();
  let busyRetries = 0;
  let fallbackReason: string | undefined;

  const tableTokens = new Map<string, string>();
  try {
    await runLimited(tables, qrBenchSettings.exchangeConcurrency, async ({ tableId: id }) => {
      const t0 = performance.now();
      const data = await api<{ url: string }>(`${endpoint}/api/tables/${encodeURIComponent(id)}/qr`, { headers: { authorization: `Bearer ${adminToken}` } });
      qrLink.record(performance.now() - t0);
      tableTokens.set(id, tableTokenOf(data.url));
    });
  } catch (error) {
    fallbackReason = `GET /api/tables/:id/qr failed: ${describe(error)}`;
  }

  const exchangeOne = async (id: string): Promise<{ token: string; customerId: string }> => {
    const tableToken = tableTokens.get(id)!;
    for (let attempt = 0; ; attempt += 1) {
      const t0 = performance.now();
      try {
        const data = await api<{ token: string; customerId: string; tableId: string }>(`${endpoint}/api/qr/session`, {
          method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tableToken }),
        });
        exchange.record(performance.now() - t0);
        if (data.tableId !== id) throw new Error(`exchange for ${id} answered table ${data.tableId}`);
        return data;
      } catch (error) {
        if (error instanceof ApiError && error.code === "BUSY" && attempt < qrBenchSettings.exchangeBusyRetriesMax) {
          busyRetries += 1;
          await sleep(error.retryAfterMs ?? 200);
          continue;
        }
        throw error;
      }
    }
  };

  const phones = tables.flatMap((t) => Array.from({ length: qrBenchSettings.phonesPerTable }, (_, i) => ({ ...t, seat: i })));
  const tokens: PhoneToken[] = new Array(phones.length);
  if (fallbackReason === undefined) {
    // The first exchange alone: if it fails, the route is not there (or broken) and all phones fall back.
    try {
      const first = await exchangeOne(phones[0]!.tableId);
      tokens[0] = { tableId: phones[0]!.tableId, token: first.token, customerId: first.customerId, path: "qr-exchange" };
    } catch (error) {
      fallbackReason = `POST /api/qr/session failed: ${describe(error)}`;
    }
  }
  await runLimited(phones.map((p, i) => ({ ...p, i })), qrBenchSettings.exchangeConcurrency, async (p) => {
    if (tokens[p.i]) return;
    if (fallbackReason === undefined) {
      try {
        const got = await exchangeOne(p.tableId);
        tokens[p.i] = { tableId: p.tableId, token: got.token, customerId: got.customerId, path: "qr-exchange" };
        return;
      } catch (error) {
        errors.add(`EXCHANGE: ${describe(error)}`.slice(0, 120));
      }
    }
    const customerId = `cust-bench-${p.tableId}-${p.seat}`;
    tokens[p.i] = { tableId: p.tableId, token: await mintCustomerToken(customerId, p.tableId, p.sessionId), customerId, path: "minted-jwt" };
  });
  return { tokens, qrLink, exchange, exchangeBusyRetries: busyRetries, errors, fallbackReason };
}

/** A customer token as the QR exchange makes it (test/e2e/qr-customers.test.ts customerToken), with the bench server's AUTH_SECRET. */
export function mintCustomerToken(customerId: string, id: string, sessionId: string): Promise<string> {
  return new SignJWT({ store: benchStore.storeId, role: "customer", name: "손님", table: id, session: sessionId })
    .setProtectedHeader({ alg: "HS256" }).setSubject(customerId).setIssuer(qrBenchSettings.tokenIssuer).setIssuedAt().setExpirationTime("1h")
    .sign(new TextEncoder().encode(qrBenchSettings.authSecret));
}

// ---------------------------------------------------------------------------------------------
// Phones in the table rooms.

export interface Phone {
  readonly index: number;
  readonly seat: number;
  readonly tableId: string;
  readonly customerId: string;
  readonly table: TableConnection;
  readonly pacer: Pacer;
  /** The server closed this phone's connection (code), if it did. */
  closedWith: number | undefined;
}

export interface JoinOutcome {
  readonly phones: Phone[];
  readonly latency: LatencyRecorder;
  readonly errors: Tally;
}

/**
 * The phones join their tables' rooms, joinConcurrency at a time: `new Client`, the token as
 * authToken, joinOrCreate, first state. (All 200 at once measures the bench's own pile-up: every
 * join then ends at about the same moment, seconds later.)
 */
export async function joinPhones(endpoint: string, tokens: readonly PhoneToken[]): Promise<JoinOutcome> {
  const latency = new LatencyRecorder(qrBenchSettings.samplesMax);
  const errors = new Tally();
  const joined: (Phone | undefined)[] = new Array(tokens.length);
  await runLimited(tokens.map((t, index) => ({ t, index })), qrBenchSettings.joinConcurrency, async ({ t, index }) => {
    joined[index] = await joinOne(t, index);
  });
  return { phones: joined.filter((p): p is Phone => p !== undefined), latency, errors };

  async function joinOne(t: PhoneToken, index: number): Promise<Phone | undefined> {
    const sdk = new Client(endpoint);
    sdk.http.authToken = t.token;
    const t0 = performance.now();
    try {
      const room: Room = await sdk.joinOrCreate("table", { storeId: benchStore.storeId, tableId: t.tableId });
      await firstState(room, qrBenchSettings.joinTimeoutMs);
      latency.record(performance.now() - t0);
      const phone: Phone = { index, seat: index % qrBenchSettings.phonesPerTable, tableId: t.tableId, customerId: t.customerId, table: new TableConnection(room), pacer: new Pacer(), closedWith: undefined };
      room.onLeave((code) => {
        phone.closedWith = code;
      });
      return phone;
    } catch (error) {
      errors.add(`JOIN: ${describe(error)}`.slice(0, 120));
      return undefined;
    }
  }
}

function firstState(room: Room, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no state from the room")), timeoutMs);
    room.onStateChange.once(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The measuring windows.

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

import { SignJWT } from "jose";
import { Client, type Room } from "@colyseus/sdk";
import { TableConnection } from "../clients/pos-client.ts";
import { LatencyRecorder, Tally } from "./stats.ts";
import { benchStore, sleep } from "./settings.ts";
import { describe, Pacer, qrBenchSettings, runLimited, type TokenPath } from "./qr-phones-clients.ts";

/** Customer tokens (through the real QR exchange) and phones joining their tables (issue #12 bench). */

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

export class ApiError extends Error {
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


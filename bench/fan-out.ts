import { Callbacks, type Room } from "@colyseus/sdk";
import { joinKitchen, type KitchenConnection } from "../clients/kitchen-client.ts";
import { PosClient } from "../clients/pos-client.ts";
import type { ServerProcess } from "../test/support/server-process.ts";
import { runConfirmLevel, type LevelResult } from "./confirm-load.ts";
import { printBacklogNow } from "./print-drain.ts";
import type { MetricsProbe } from "./server-control.ts";
import { LatencyRecorder, Tally, round, type LatencySummary } from "./stats.ts";
import { benchSettings, benchStore, kitchenTicketId, sleep } from "./settings.ts";
import { pingDuring, pingRoundTrips } from "./ws-ping.ts";

export interface FanOutResult {
  readonly posClients: number;
  readonly kitchenDisplays: number;
  /** The POS side, measured as a level is (confirms/s, reply latency, server and bench CPU). */
  readonly confirm: LevelResult;
  /** Slips of earlier steps still to print when the window began (the printer competes for the server). */
  readonly printBacklogAtStart: number;
  /** Counted confirms × displays. */
  readonly pairs: number;
  /** POS reply → the ticket in a display's state, over every pair that arrived: what the kitchen sees. */
  readonly latency: LatencySummary;
  /** The same over the pairs that came as a patch to a display already joined (not with a rejoin's full state). */
  readonly latencyLive: LatencySummary;
  /** Per KDS: its p99, tickets it never showed, times the server closed it, connected when the settling ended. */
  readonly perDisplay: readonly { readonly p99Ms: number; readonly missing: number; readonly drops: number; readonly connectedAtEnd: boolean }[];
  /** Pairs whose ticket never reached the display within settleTimeoutMs. */
  readonly missing: number;
  /** Pairs whose ticket was on the display before the POS had its reply (negative latency, kept as is). */
  readonly beforeReply: number;
  /** Pairs whose ticket first came with the full state of a rejoin (the display had been dropped). */
  readonly viaRejoin: number;
  /** Displays the server closed (every display rejoins at once, at most rejoinsMax times). */
  readonly drops: { readonly total: number; readonly byCode: Record<string, number>; readonly firstAfterJoinS: number | undefined };
  readonly rejoins: number;
  readonly rejoinErrors: number;
  readonly settleS: number;
  /** 200 pings on display 0 just before the POS clients start: the server is idle. The goal's yardstick. */
  readonly wsPingIdle: LatencySummary;
  /** Pings on display 0 during the window, one at most every loadPingGapMs: the same connection under the same load. */
  readonly wsPingUnderLoad: LatencySummary;
  /** Pings due while display 0 was disconnected, or whose room closed before the pong. */
  readonly wsPingUnderLoadLost: number;
}

/**
 * A KDS: every ticket id it is shown, with the time it first appeared in its state. The server
 * may close it (it did: see bench/README.md); it then rejoins at once, as a kitchen screen would,
 * and the tickets the rejoin's full state brings are marked as such.
 */
class Display {
  readonly seen = new Map<string, number>();
  readonly viaRejoin = new Set<string>();
  readonly drops = new Tally();
  rejoins = 0;
  rejoinErrors = 0;
  firstDropAt: number | undefined;
  #connection!: KitchenConnection;
  #stopping = false;
  #rejoining: Promise<void> | undefined;

  private constructor(private readonly user: PosClient) {}

  static async join(user: PosClient): Promise<Display> {
    const display = new Display(user);
    display.#attach(await joinKitchen(user, "all"), false);
    return display;
  }

  get room(): Room {
    return this.#connection.room;
  }

  #attach(connection: KitchenConnection, rejoined: boolean): void {
    this.#connection = connection;
    // The SDK would try to resume a dropped connection into a room the server has disposed (15
    // tries with backoff); a kitchen screen joins the kitchen room again instead, at once.
    connection.room.reconnection.enabled = false;
    connection.startHeartbeat();
    let initial = true; // onAdd runs at once for the tickets already in the first state
    Callbacks.get(connection.room).onAdd("tickets", (_ticket: unknown, key: unknown) => {
      const id = String(key);
      if (this.seen.has(id) || this.seen.size >= benchSettings.fanOut.ticketsSeenMax) return;
      this.seen.set(id, performance.now());
      if (initial && rejoined) this.viaRejoin.add(id);
    });
    initial = false;
    connection.room.onLeave((code: number) => {
      connection.stopHeartbeat();
      if (this.#stopping) return;
      this.drops.add(String(code));
      this.firstDropAt ??= performance.now();
      this.#rejoining = this.#rejoin();
    });
  }

  async #rejoin(): Promise<void> {
    while (!this.#stopping && this.rejoins + this.rejoinErrors < benchSettings.fanOut.rejoinsMax) {
      try {
        const connection = await joinKitchen(this.user, "all");
        this.rejoins += 1;
        this.#attach(connection, true);
        if (this.#stopping) await this.#leaveCurrent(); // leave() ran while this join was under way
        return;
      } catch {
        this.rejoinErrors += 1;
        await sleep(benchSettings.fanOut.rejoinDelayMs);
      }
    }
  }

  async leave(): Promise<void> {
    this.#stopping = true;
    await this.#rejoining;
    await this.#leaveCurrent();
  }

  async #leaveCurrent(): Promise<void> {
    if (!this.room.connection?.isOpen) return;
    // A room closing under us never answers the leave: bounded.
    await Promise.race([this.#connection.leave(), sleep(benchSettings.commandTimeoutMs)]);
  }
}

/**
 * Issue 4: 64 POS clients confirm in a closed loop (as a level does) while 4 KDS, joined to the
 * kitchen room as the kitchen user with station "all", watch their state. For every confirm of the
 * window and every display: the time from the POS reply to the ticket `${batchId}-kitchen` being
 * added to that display's state. The idle WebSocket round trip on the same server is the yardstick.
 */
export async function runFanOut(server: ServerProcess, probe: MetricsProbe): Promise<FanOutResult> {
  const settings = benchSettings.fanOut;
  const kitchenUser = await PosClient.login(server.endpoint, benchStore.storeId, benchStore.kitchen.id, benchStore.kitchen.pin);
  const displays: Display[] = [];
  try {
    const joinedAt = performance.now();
    for (let i = 0; i < settings.kitchenDisplays; i++) displays.push(await Display.join(kitchenUser));
    const first = displays[0]!;
    const wsPingIdle = await pingRoundTrips(first.room, benchSettings.pingCount);
    const printBacklogAtStart = printBacklogNow(server);
    const replyAt = new Map<string, number>();
    let underLoad: Promise<{ latency: LatencySummary; lost: number }> | undefined;
    let settleMs = 0;
    let connectedAfterSettle: boolean[] = [];
    const confirm = await runConfirmLevel(server, probe, settings.posClients, settings.firstTable, {
      warmUpMs: settings.warmUpMs,
      measureMs: settings.measureMs,
      printDrainTimeoutMs: 0, // the last step on this server: nothing runs after it
      onWindow: (startAt, endAt) => {
        underLoad = pingDuring(() => first.room, startAt, endAt, settings.loadPingGapMs);
        underLoad.catch(() => undefined); // awaited below; this only keeps a failure from being "unhandled" meanwhile
      },
      onConfirmed: (data, at, counted) => {
        if (counted && typeof data.batchId === "string" && replyAt.size < settings.samplesMax) replyAt.set(kitchenTicketId(data.batchId), at);
      },
      beforeClose: async () => {
        const t0 = performance.now();
        await settle(replyAt, displays);
        settleMs = performance.now() - t0;
        connectedAfterSettle = displays.map((d) => d.room.connection?.isOpen === true);
      },
    });
    const pings = await underLoad!;
    const drops = new Tally();
    for (const d of displays) for (const [code, n] of Object.entries(d.drops.toJSON())) for (let i = 0; i < n; i++) drops.add(code);
    const firstDrop = Math.min(...displays.map((d) => d.firstDropAt ?? Number.POSITIVE_INFINITY));
    return {
      posClients: settings.posClients,
      kitchenDisplays: settings.kitchenDisplays,
      confirm,
      printBacklogAtStart,
      ...match(replyAt, displays, connectedAfterSettle),
      drops: { total: drops.total, byCode: drops.toJSON(), firstAfterJoinS: Number.isFinite(firstDrop) ? round((firstDrop - joinedAt) / 1000, 1) : undefined },
      rejoins: displays.reduce((n, d) => n + d.rejoins, 0),
      rejoinErrors: displays.reduce((n, d) => n + d.rejoinErrors, 0),
      settleS: round(settleMs / 1000, 1),
      wsPingIdle,
      wsPingUnderLoad: pings.latency,
      wsPingUnderLoadLost: pings.lost,
    };
  } finally {
    await Promise.all(displays.map((d) => d.leave().catch(() => undefined)));
  }
}

/** Waits (bounded) until every counted confirm's ticket is on every display. */
async function settle(replyAt: ReadonlyMap<string, number>, displays: readonly Display[]): Promise<void> {
  const deadline = performance.now() + benchSettings.fanOut.settleTimeoutMs;
  const pending = new Set(replyAt.keys());
  while (pending.size > 0 && performance.now() < deadline) {
    for (const id of pending) if (displays.every((d) => d.seen.has(id))) pending.delete(id);
    if (pending.size > 0) await sleep(benchSettings.fanOut.settlePollMs);
  }
}

function match(replyAt: ReadonlyMap<string, number>, displays: readonly Display[], connectedAfterSettle: readonly boolean[]) {
  const capacity = Math.max(1, replyAt.size * displays.length);
  const all = new LatencyRecorder(capacity);
  const live = new LatencyRecorder(capacity);
  const perDisplay: FanOutResult["perDisplay"][number][] = [];
  let missing = 0;
  let beforeReply = 0;
  let viaRejoin = 0;
  for (const [index, display] of displays.entries()) {
    const mine = new LatencyRecorder(Math.max(1, replyAt.size));
    let mineMissing = 0;
    for (const [id, at] of replyAt) {
      const shownAt = display.seen.get(id);
      if (shownAt === undefined) {
        mineMissing += 1;
        continue;
      }
      if (shownAt < at) beforeReply += 1;
      all.record(shownAt - at);
      mine.record(shownAt - at);
      if (display.viaRejoin.has(id)) viaRejoin += 1;
      else live.record(shownAt - at);
    }
    missing += mineMissing;
    perDisplay.push({ p99Ms: mine.summary().p99Ms, missing: mineMissing, drops: display.drops.total, connectedAtEnd: connectedAfterSettle[index] === true });
  }
  return { pairs: replyAt.size * displays.length, latency: all.summary(), latencyLive: live.summary(), perDisplay, missing, beforeReply, viaRejoin };
}

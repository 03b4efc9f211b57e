import { newUuid } from "./ids.ts";
import { Client, type Room } from "@colyseus/sdk";
// Only the zod-free protocol files: a page that imports the room client does not carry the schemas.
import { messageTypes, roomNames, type JoinOptionsByRoom, type RoomName } from "../protocol/rooms.ts";
import type { Reply } from "../protocol/reply.ts";
import { ClientError, isPermanentRefusal } from "./client-error.ts";
import type { CommandArgs, CommandOptions, CommandTypeOf, ReplyData } from "./commands.ts";
import { joinWithin, type ServerAuth } from "./join.ts";
import { roomClientDefaults, type RoomClientSettings } from "./settings.ts";

/** Commands the server answers only after the card company did (payments/limits.ts). */
const waitsOnProvider: ReadonlySet<string> = new Set(["payment.start", "refund.start", "cart.pay", "cashReceipt.issue"]);

export type ConnectionStatus = "online" | "reconnecting" | "offline";
export type StatusListener = (status: ConnectionStatus, previous: ConnectionStatus) => void;
export type ReconnectedListener = (info: { readonly fresh: boolean }) => void;

interface PendingCommand {
  readonly body: Readonly<Record<string, unknown>>;
  readonly timeoutMs: number;
  timeouts: number;
  inFlight: boolean;
  settle(outcome: { reply: Reply<any> } | { error: ClientError }): void;
}

type Timer = ReturnType<typeof setTimeout>;
const unref = (timer: Timer): Timer => ((timer as { unref?: () => void }).unref?.(), timer);
const isTimeout = (error: unknown) => error instanceof Error && /timed out/.test(error.message);
const isLinkError = (error: unknown) => error instanceof Error && /connection (closed|is not open)/.test(error.message);

/**
 * One room (table, kitchen or admin) that stays joined: typed commands answered exactly once,
 * an application heartbeat (the SDK has none: a silently dead link would never be noticed),
 * the SDK's reconnection while the server still holds the seat, and a fresh join when it does
 * not (server restarted, room gone). Commands in flight during a drop are sent again with the
 * same cmdId once the link is back; the server's idempotency turns that into the first reply.
 * See docs/CLIENTS.md.
 */
export class RoomClient<R extends RoomName> {
  #room: Room;
  #status: ConnectionStatus = "online";
  #leaving = false;
  /** Set between the SDK's onReconnect and the full state that follows it. */
  #awaitingState = false;
  #rejoining = false;
  #lastDropAtMs = 0;
  #heartbeat: Timer | undefined;
  #pingInFlight = false;
  readonly #pending = new Set<PendingCommand>();
  readonly #statusListeners = new Set<StatusListener>();
  readonly #reconnectedListeners = new Set<ReconnectedListener>();
  readonly #messageListeners = new Map<string, Set<(payload: any) => void>>();
  readonly #settings: Required<RoomClientSettings>;

  private constructor(
    readonly roomName: R,
    readonly joinOptions: JoinOptionsByRoom[R],
    readonly sdk: Client,
    room: Room,
    settings: RoomClientSettings,
  ) {
    this.#settings = { ...roomClientDefaults, ...settings };
    this.#room = room;
    this.#attach(room);
    this.#scheduleHeartbeat();
  }

  /** Joins and resolves once the first full state arrived. Throws ClientError (JOIN_REFUSED, JOIN_FAILED, JOIN_TIMEOUT). */
  static async join<R extends RoomName>(roomName: R, auth: ServerAuth, joinOptions: JoinOptionsByRoom[R], settings: RoomClientSettings = {}): Promise<RoomClient<R>> {
    const sdk = new Client(auth.endpoint);
    sdk.http.authToken = auth.token;
    const room = await joinWithin(sdk, roomName, joinOptions, settings.joinTimeoutMs ?? roomClientDefaults.joinTimeoutMs);
    return new RoomClient(roomName, joinOptions, sdk, room, settings);
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** The decoded room state (a new object after a fresh join; read it again after onReconnected). */
  get state(): any {
    return this.#room.state;
  }

  /** The current SDK room (replaced by a fresh join). */
  get room(): Room {
    return this.#room;
  }

  /** Commands not answered yet (sent and waiting, or waiting for the link). */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Sends one command and resolves with its reply, exactly once. Survives drops: the same cmdId
   * is sent again after the reconnection. Rejects only with ClientError (CLIENT_LEFT,
   * COMMAND_TIMEOUT, REQUEST_FAILED); the outcome is then unknown: retry with the same cmdId.
   */
  command<T extends CommandTypeOf<R>, D = ReplyData>(type: T, ...args: CommandArgs<R, T>): Promise<Reply<D>> {
    const [fields, options] = args as [Record<string, unknown> | undefined, CommandOptions | undefined];
    if (this.#status === "offline") return Promise.reject(new ClientError("CLIENT_LEFT", `${type}: the client has left the room`));
    const cmdId = options?.cmdId ?? newUuid();
    const body = { ...fields, type, cmdId, ...(options?.issuedAt === undefined ? {} : { issuedAt: options.issuedAt }) };
    return new Promise<Reply<D>>((resolve, reject) => {
      const entry: PendingCommand = {
        body,
        timeoutMs: options?.timeoutMs ?? (waitsOnProvider.has(type) ? this.#settings.providerCommandTimeoutMs : this.#settings.commandTimeoutMs),
        timeouts: 0,
        inFlight: false,
        settle: (outcome) => {
          if (!this.#pending.delete(entry)) return; // exactly once
          if ("reply" in outcome) resolve(outcome.reply as Reply<D>);
          else reject(outcome.error);
        },
      };
      this.#pending.add(entry);
      if (this.#status === "online" && !this.#awaitingState) this.#send(entry);
    });
  }

  onStatus(listener: StatusListener): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  onReconnected(listener: ReconnectedListener): () => void {
    this.#reconnectedListeners.add(listener);
    return () => this.#reconnectedListeners.delete(listener);
  }

  /** A server message (e.g. `notice`, `staffCall`); the listener stays registered across rejoins. */
  onMessage<T = any>(type: string, listener: (payload: T) => void): () => void {
    let listeners = this.#messageListeners.get(type);
    if (!listeners) {
      listeners = new Set();
      this.#messageListeners.set(type, listeners);
      this.#bindMessage(this.#room, type);
    }
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** Leaves on purpose (consented): status "offline"; unanswered commands reject with CLIENT_LEFT. */
  async leave(): Promise<void> {
    if (this.#leaving) return;
    this.#leaving = true;
    if (this.#heartbeat) clearTimeout(this.#heartbeat);
    for (const entry of [...this.#pending]) entry.settle({ error: new ClientError("CLIENT_LEFT", "left the room before the reply arrived") });
    const room = this.#room;
    room.reconnection.enabled = false;
    if (room.connection?.isOpen) {
      let timer: Timer | undefined;
      const bound = new Promise<void>((r) => (timer = unref(setTimeout(r, this.#settings.heartbeatTimeoutMs))));
      await Promise.race([room.leave(true).then(() => undefined), bound]);
      clearTimeout(timer);
    } else room.connection?.close();
    this.#setStatus("offline");
  }

  #setStatus(next: ConnectionStatus): void {
    const previous = this.#status;
    if (previous === next || previous === "offline") return;
    this.#status = next;
    for (const listener of [...this.#statusListeners]) listener(next, previous);
  }

  #attach(room: Room): void {
    // The SDK's own retries cover the server's seat window (roomLimits.reconnectSeconds); after
    // that only a fresh join can work, so they are not worth waiting on longer.
    Object.assign(room.reconnection, { minUptime: 0, maxRetries: this.#settings.sdkRetriesMax, maxDelay: this.#settings.rejoinDelayMaxMs });
    const current = () => this.#room === room && !this.#leaving;
    room.onDrop(() => {
      if (!current()) return;
      this.#lastDropAtMs = Date.now();
      this.#awaitingState = false;
      this.#setStatus("reconnecting");
    });
    room.onReconnect(() => {
      if (this.#leaving) return void room.leave(true).catch(() => undefined);
      // The SDK fires this before the full state; wait for it (COLYSEUS.md "Verified (turn 2)").
      if (current()) this.#awaitingState = true;
    });
    room.onStateChange(() => {
      if (!current() || !this.#awaitingState) return;
      this.#awaitingState = false;
      this.#cameBack(false);
    });
    room.onLeave(() => {
      if (!current()) return;
      // Not ours (we set #leaving first): the seat is gone (server restarted, retries exhausted,
      // a room without a held seat, a kick). Join afresh.
      void this.#rejoin();
    });
    for (const type of this.#messageListeners.keys()) this.#bindMessage(room, type);
  }

  #bindMessage(room: Room, type: string): void {
    room.onMessage(type, (payload: unknown) => {
      if (this.#room !== room) return;
      for (const listener of [...(this.#messageListeners.get(type) ?? [])]) listener(payload);
    });
  }

  /** Back online with the current state: replay what is unanswered, in the order it was made. */
  #cameBack(fresh: boolean): void {
    this.#setStatus("online");
    for (const entry of this.#pending) if (!entry.inFlight) this.#send(entry);
    for (const listener of [...this.#reconnectedListeners]) listener({ fresh });
  }

  #send(entry: PendingCommand): void {
    const room = this.#room;
    entry.inFlight = true;
    room.request(messageTypes.command, entry.body, { timeout: entry.timeoutMs }).then(
      (reply: Reply<any>) => entry.settle({ reply }),
      (error: unknown) => {
        entry.inFlight = false;
        if (this.#leaving) return entry.settle({ error: new ClientError("CLIENT_LEFT", "left the room before the reply arrived") });
        if (isTimeout(error)) {
          entry.timeouts += 1;
          if (entry.timeouts >= this.#settings.commandAttemptsMax) {
            return entry.settle({ error: new ClientError("COMMAND_TIMEOUT", `${String(entry.body.type)}: no reply after ${entry.timeouts} attempts`) });
          }
          // A reply that does not come is a dead link until shown otherwise: reconnect, then replay.
          return this.#forceReconnect(room);
        }
        if (isLinkError(error)) {
          // Normally onDrop already moved us to "reconnecting"; if the SDK still looks online, make it so.
          if (this.#room === room && this.#status === "online" && !this.#awaitingState) this.#forceReconnect(room);
          return;
        }
        entry.settle({ error: new ClientError("REQUEST_FAILED", error instanceof Error ? error.message : String(error)) });
      },
    );
  }

  /** Closes with 4010: the SDK fires onDrop at once (no close handshake) and reconnects. */
  #forceReconnect(room: Room): void {
    if (this.#room !== room || this.#leaving || this.#rejoining) return;
    if (this.#status === "online") this.#setStatus("reconnecting");
    this.#lastDropAtMs = Date.now();
    room.connection?.close(4010, "no answer");
  }

  #scheduleHeartbeat(): void {
    this.#heartbeat = unref(setTimeout(() => {
      if (this.#leaving) return;
      this.#beat();
      this.#scheduleHeartbeat();
    }, this.#settings.heartbeatMs));
  }

  /** One heartbeat: ping when online; kick a reconnection attempt that hangs (a dead link swallows the handshake too). */
  #beat(): void {
    const room = this.#room;
    if (this.#status === "reconnecting" && !this.#rejoining && Date.now() - this.#lastDropAtMs > this.#settings.reconnectStallMs) {
      this.#lastDropAtMs = Date.now();
      room.connection?.close(4010, "reconnection attempt hangs");
      return;
    }
    if (this.#status !== "online" || this.#awaitingState || this.#pingInFlight) return;
    if (this.roomName === roomNames.kitchen && this.#settings.kitchenHeartbeat) room.send(messageTypes.kitchenHeartbeat);
    this.#pingInFlight = true;
    room.request(messageTypes.ping, {}, { timeout: this.#settings.heartbeatTimeoutMs }).then(
      () => (this.#pingInFlight = false),
      (error: unknown) => {
        this.#pingInFlight = false;
        if (isTimeout(error)) this.#forceReconnect(room);
      },
    );
  }

  /** A fresh join with backoff, until it works, the server refuses for good, or leave(). */
  async #rejoin(): Promise<void> {
    if (this.#rejoining || this.#leaving) return;
    this.#rejoining = true;
    this.#awaitingState = false;
    this.#setStatus("reconnecting");
    try {
      for (let attempt = 0; attempt < this.#settings.rejoinAttemptsMax && !this.#leaving; attempt++) {
        await delay(Math.min(this.#settings.rejoinDelayMaxMs, this.#settings.rejoinDelayMs * 2 ** attempt));
        if (this.#leaving) return;
        try {
          const room = await joinWithin(this.sdk, this.roomName, this.joinOptions, this.#settings.joinTimeoutMs);
          if (this.#leaving) return void room.leave(true).catch(() => undefined);
          this.#room = room;
          this.#attach(room);
          this.#rejoining = false;
          this.#cameBack(true);
          return;
        } catch (error) {
          if (error instanceof ClientError && isPermanentRefusal(error)) return this.#giveUp(error);
        }
      }
      this.#giveUp(new ClientError("CLIENT_LEFT", `gave up rejoining ${this.roomName} after ${this.#settings.rejoinAttemptsMax} attempts`));
    } finally {
      this.#rejoining = false;
    }
  }

  #giveUp(error: ClientError): void {
    if (this.#heartbeat) clearTimeout(this.#heartbeat);
    for (const entry of [...this.#pending]) entry.settle({ error: new ClientError("CLIENT_LEFT", `no connection: ${error.message}`, error.wireCode, error.status) });
    this.#setStatus("offline");
  }
}

const delay = (ms: number) => new Promise<void>((r) => unref(setTimeout(r, ms)));

export type TableClient = RoomClient<"table">;
export type KitchenClient = RoomClient<"kitchen">;
export type AdminClient = RoomClient<"admin">;

export function joinRoom<R extends RoomName>(roomName: R, auth: ServerAuth, joinOptions: JoinOptionsByRoom[R], settings?: RoomClientSettings): Promise<RoomClient<R>> {
  return RoomClient.join(roomName, auth, joinOptions, settings);
}

/** A POS terminal's table: `joinTable(await staffLogin(endpoint, store, staff, pin), { storeId, tableId })`. */
export function joinTable(auth: ServerAuth, joinOptions: JoinOptionsByRoom["table"], settings?: RoomClientSettings): Promise<TableClient> {
  return RoomClient.join(roomNames.table, auth, joinOptions, settings);
}

/** A kitchen display; the library also sends the kitchen liveness heartbeat (docs/PROTOCOL.md §7.2). */
export function joinKitchenRoom(auth: ServerAuth, joinOptions: JoinOptionsByRoom["kitchen"], settings?: RoomClientSettings): Promise<KitchenClient> {
  return RoomClient.join(roomNames.kitchen, auth, joinOptions, settings);
}

export function joinAdminRoom(auth: ServerAuth, joinOptions: JoinOptionsByRoom["admin"], settings?: RoomClientSettings): Promise<AdminClient> {
  return RoomClient.join(roomNames.admin, auth, joinOptions, settings);
}

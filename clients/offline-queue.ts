import { newUuid } from "./ids.ts";
import { offlineLimits } from "../protocol/limits.ts";
import type { Reply } from "../protocol/reply.ts";
import type { WireErrorCode } from "../protocol/codes.ts";
import { tableCommandSchema, type OfflineOrigin, type TableCommand } from "../protocol/table-commands.ts";
import type { QueuedBody, QueuedEntry, QueueStore } from "./offline-queue-store.ts";

export * from "./offline-queue-store.ts";

/**
 * R-OFF-2, the offline POS: a durable, ordered queue of the commands a terminal made while it was
 * disconnected, replayed in order on reconnect. Browser-safe (no Node built-ins); the storage
 * comes from outside (QueueStore). docs/PROTOCOL.md "Offline POS" is the contract.
 *
 *   const queue = await OfflineQueue.open(store, { storeId, tableId, staffId });
 *   await queue.enqueue({ type: "confirm", lines });                  // while offline
 *   const result = await queue.replay(sender, send, (entry, reply) => show(entry, reply));
 *   // result.status "stopped": a person decides: queue.discard(cmdId) or queue.retry(...)
 */

/** Who a queue belongs to, and who is sending now: the store, table and staff login. */
export interface QueueOwner {
  readonly storeId: string;
  readonly tableId: string;
  readonly staffId: string;
}

export type OfflineQueueErrorCode =
  /** Only a confirm with explicit lines and a cash payment may wait (`details.rule`). */
  | "NOT_QUEUEABLE"
  /** The command does not pass the wire schema (`details.issues`). */
  | "INVALID_COMMAND"
  /** offlineLimits.queueLengthMax entries are waiting already. */
  | "QUEUE_FULL"
  /** Replayed under another staff login, or against another store or table (`details.field`). */
  | "FOREIGN_ORIGIN"
  /** A replay of this queue is under way; entries cannot be discarded or retried meanwhile. */
  | "REPLAY_RUNNING"
  /** No such entry (discard), or nothing refused to retry. */
  | "UNKNOWN_ENTRY";

export interface OfflineQueueError {
  readonly code: OfflineQueueErrorCode;
  readonly message: string;
  readonly details?: unknown;
}

/** What may be queued: a table command without cmdId and origin (the queue adds both). */
export type EnqueueInput = TableCommand extends infer C ? (C extends TableCommand ? Omit<C, "cmdId" | "offline"> : never) : never;

/** How a replay sends one command: the connection's command call, resolving with the server's reply. */
export type SendCommand = (body: QueuedBody) => Promise<Reply>;

export type ReplayResult =
  /** Every entry was answered ok and removed. */
  | { readonly status: "done"; readonly sent: number }
  /** A refusal: the entry stays, held with its reply, and nothing after it is sent until a person decides. */
  | { readonly status: "stopped"; readonly sent: number; readonly entry: QueuedEntry; readonly reply: Reply }
  /** The link failed or the server was briefly unable (BUSY, RATE_LIMITED, INTERNAL): replay again later, same cmdId. */
  | { readonly status: "interrupted"; readonly sent: number; readonly entry: QueuedEntry; readonly reply?: Reply; readonly error?: unknown }
  /** Nothing was sent: the replay was refused by the library. */
  | { readonly status: "refused"; readonly sent: 0; readonly error: OfflineQueueError };

export type QueueResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: OfflineQueueError };

export interface OfflineQueueOptions {
  /** The clock for `queuedAt` (epoch ms). */
  readonly now?: () => number;
}

/** Nothing was decided on the server (rooms/command-pipeline.ts does not remember them): resend as is. */
const transientCodes: ReadonlySet<WireErrorCode> = new Set<WireErrorCode>(["BUSY", "RATE_LIMITED", "INTERNAL"]);
const originFields = ["staffId", "storeId", "tableId"] as const;

export class OfflineQueue {
  readonly #store: QueueStore;
  readonly #entries: QueuedEntry[];
  readonly #now: () => number;
  #nextSeq: number;
  #replaying = false;
  /** Store writes one at a time, in call order, so the durable order is the queue order. */
  #serial: Promise<unknown> = Promise.resolve();

  private constructor(store: QueueStore, readonly owner: QueueOwner, entries: QueuedEntry[], options: OfflineQueueOptions) {
    this.#store = store;
    this.#entries = entries;
    this.#now = options.now ?? Date.now;
    this.#nextSeq = entries.reduce((max, e) => Math.max(max, e.seq + 1), 0);
  }

  /** Loads what the store holds (a queue left by a crash or a closed page is picked up as it was). */
  static async open(store: QueueStore, owner: QueueOwner, options: OfflineQueueOptions = {}): Promise<OfflineQueue> {
    const entries = await store.load();
    return new OfflineQueue(store, { storeId: owner.storeId, tableId: owner.tableId, staffId: owner.staffId }, entries, options);
  }

  /** The waiting entries, oldest first (a copy). */
  get entries(): readonly QueuedEntry[] {
    return structuredClone(this.#entries);
  }

  get length(): number {
    return this.#entries.length;
  }

  /** The refused entry waiting for a person, if any (always the head). */
  get held(): QueuedEntry | undefined {
    const head = this.#entries[0];
    return head?.refusal ? structuredClone(head) : undefined;
  }

  /**
   * Queues a command made while offline, with a Web Crypto cmdId and its origin. Durable when it
   * resolves ok. Refused (typed, nothing stored): anything but a confirm with lines or a cash payment.
   */
  enqueue(command: EnqueueInput): Promise<QueueResult<QueuedEntry>> {
    return this.#exclusive(async () => {
      const refusal = notQueueable(command);
      if (refusal) return { ok: false, error: refusal };
      if (this.#entries.length >= offlineLimits.queueLengthMax) {
        return { ok: false, error: queueError("QUEUE_FULL", `${offlineLimits.queueLengthMax} commands are waiting already`, { queueLengthMax: offlineLimits.queueLengthMax }) };
      }
      const cmdId = newUuid();
      const offline: OfflineOrigin = { ...this.owner, queuedAt: new Date(this.#now()).toISOString() };
      // JSON round trip: no undefined fields, so the body sent now is byte for byte the one reloaded later.
      const body = JSON.parse(JSON.stringify({ ...command, cmdId, offline })) as unknown;
      const parsed = tableCommandSchema.safeParse(body);
      if (!parsed.success) {
        const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join("."), message: i.message }));
        return { ok: false, error: queueError("INVALID_COMMAND", issues.map((i) => `${i.path}: ${i.message}`).join("; "), { issues }) };
      }
      const entry: QueuedEntry = { seq: this.#nextSeq, cmdId, body: body as QueuedBody };
      await this.#store.append(entry);
      this.#nextSeq += 1;
      this.#entries.push(entry);
      return { ok: true, value: structuredClone(entry) };
    });
  }

  /**
   * Sends the entries in order, one at a time, each with its own cmdId and body exactly as queued,
   * and hands each reply to `onReply`. An entry is removed only once its ok reply arrived. The first
   * refusal stops the replay: the entry is held with its reply until discard() or retry(). `sender`
   * is who is connected now; a queue made under another login, store or table is refused here.
   */
  async replay(sender: QueueOwner, send: SendCommand, onReply?: (entry: QueuedEntry, reply: Reply) => void): Promise<ReplayResult> {
    if (this.#replaying) return { status: "refused", sent: 0, error: queueError("REPLAY_RUNNING", "this queue is being replayed already") };
    const foreign = foreignOrigin(this.owner, sender) ?? this.#entries.map((e) => foreignOrigin(e.body.offline!, sender)).find((e) => e !== undefined);
    if (foreign) return { status: "refused", sent: 0, error: foreign };
    this.#replaying = true;
    try {
      return await this.#replayFromHead(send, onReply);
    } finally {
      this.#replaying = false;
    }
  }

  async #replayFromHead(send: SendCommand, onReply?: (entry: QueuedEntry, reply: Reply) => void): Promise<ReplayResult> {
    let sent = 0;
    for (;;) {
      const entry = this.#entries[0];
      if (!entry) return { status: "done", sent };
      if (entry.refusal) return { status: "stopped", sent, entry: structuredClone(entry), reply: entry.refusal };
      let reply: Reply;
      try {
        reply = await send(structuredClone(entry.body));
      } catch (error) {
        return { status: "interrupted", sent, entry: structuredClone(entry), error };
      }
      sent += 1;
      onReply?.(structuredClone(entry), reply);
      if (reply.cmdId !== entry.cmdId) return { status: "interrupted", sent, entry: structuredClone(entry), reply, error: new Error(`reply for ${reply.cmdId}, not ${entry.cmdId}`) };
      if (reply.ok) {
        await this.#exclusive(() => this.#store.remove(entry.seq));
        this.#entries.shift();
        continue;
      }
      if (transientCodes.has(reply.error.code)) return { status: "interrupted", sent, entry: structuredClone(entry), reply };
      const held: QueuedEntry = { ...entry, refusal: reply };
      await this.#exclusive(() => this.#store.replace(held));
      this.#entries[0] = held;
      return { status: "stopped", sent, entry: structuredClone(held), reply };
    }
  }

  /** A person decided a waiting entry (refused or not yet sent) shall not be sent. */
  discard(cmdId: string): Promise<QueueResult<QueuedEntry>> {
    return this.#exclusive(async () => {
      if (this.#replaying) return { ok: false, error: queueError("REPLAY_RUNNING", "wait for the replay to stop") };
      const at = this.#entries.findIndex((e) => e.cmdId === cmdId);
      const entry = this.#entries[at];
      if (!entry) return { ok: false, error: queueError("UNKNOWN_ENTRY", `no queued command ${cmdId}`) };
      await this.#store.remove(entry.seq);
      this.#entries.splice(at, 1);
      return { ok: true, value: structuredClone(entry) };
    });
  }

  /**
   * A person decided the refused head shall be sent again, then the replay goes on. It gets a fresh
   * cmdId: the server remembers a refusal under the old one, and a refused command changed nothing,
   * so the new one cannot double it. The origin (and its queuedAt) stays.
   */
  async retry(sender: QueueOwner, send: SendCommand, onReply?: (entry: QueuedEntry, reply: Reply) => void): Promise<ReplayResult> {
    const rearmed = await this.#exclusive(async () => {
      const head = this.#entries[0];
      if (this.#replaying) return queueError("REPLAY_RUNNING", "wait for the replay to stop");
      if (!head?.refusal) return queueError("UNKNOWN_ENTRY", "no refused command waits for a decision");
      const foreign = foreignOrigin(this.owner, sender);
      if (foreign) return foreign;
      const cmdId = newUuid();
      const next: QueuedEntry = { seq: head.seq, cmdId, body: { ...head.body, cmdId } };
      await this.#store.replace(next);
      this.#entries[0] = next;
      return undefined;
    });
    if (rearmed) return { status: "refused", sent: 0, error: rearmed };
    return this.replay(sender, send, onReply);
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#serial.then(work, work);
    this.#serial = run.catch(() => undefined);
    return run;
  }
}

function notQueueable(command: EnqueueInput): OfflineQueueError | undefined {
  switch (command.type) {
    case "confirm":
      if (command.lines === undefined || command.lines.length === 0) {
        return queueError("NOT_QUEUEABLE", "an offline confirm carries its lines (the shared draft lives on the server)", { rule: "confirm_needs_lines" });
      }
      return command.draftVersion === undefined ? undefined : queueError("NOT_QUEUEABLE", "an offline confirm cannot refer to the shared draft", { rule: "confirm_needs_lines" });
    case "payment.start":
      // A card (or easy pay, points) needs the provider and the card present: never queued.
      return command.method === "cash" ? undefined : queueError("NOT_QUEUEABLE", `a ${command.method} payment needs the provider now; only cash may wait`, { rule: "payment_needs_provider", method: command.method });
    default:
      return queueError("NOT_QUEUEABLE", `${command.type} cannot wait offline; only confirms with lines and cash payments can`, { rule: "not_queueable", type: command.type });
  }
}

function foreignOrigin(queued: QueueOwner, sender: QueueOwner): OfflineQueueError | undefined {
  const field = originFields.find((f) => queued[f] !== sender[f]);
  if (field === undefined) return undefined;
  return queueError("FOREIGN_ORIGIN", `this queue was made for ${field} ${queued[field]}, not ${sender[field]}`, { field, queued: queued[field], actual: sender[field] });
}

function queueError(code: OfflineQueueErrorCode, message: string, details?: unknown): OfflineQueueError {
  return details === undefined ? { code, message } : { code, message, details };
}

import { z } from "zod";
import { cmdIdSchema, tableCommandSchema, type TableCommand } from "../protocol/table-commands.ts";
import type { Reply } from "../protocol/reply.ts";

/** A confirm that carries its own lines (the shared draft lives in the server's memory). */
export type QueuedConfirm = Extract<TableCommand, { type: "confirm" }>;
/** A cash payment: the only payment that may wait (a card needs the provider and the card present). */
export type QueuedCashPayment = Extract<TableCommand, { type: "payment.start" }> & { method: "cash" };
/** Exactly what is sent, on every replay: same cmdId, same body, so the server replays its first reply. */
export type QueuedBody = QueuedConfirm | QueuedCashPayment;

/** One command made while the POS was offline. Plain JSON: a file or IndexedDB holds it as is. */
export interface QueuedEntry {
  /** Queue order (ascending; unique among the waiting entries). */
  readonly seq: number;
  readonly cmdId: string;
  /** `body.offline` is the origin: store, table, staff and when it was queued. */
  readonly body: QueuedBody;
  /** A refusal not yet decided on by a person: the replay stops here until discard() or retry(). */
  readonly refusal?: Reply;
}

/**
 * Where a queue keeps its entries. Every method resolves only once the change is durable, so an
 * entry the queue reports as enqueued survives a crash, and one it removed never comes back.
 * Implementations: MemoryQueueStore (here, tests), clients/node/file-queue-store.ts (Node),
 * clients/browser/indexeddb-queue-store.ts (browser).
 */
export interface QueueStore {
  /** Every entry, in `seq` order. */
  load(): Promise<QueuedEntry[]>;
  append(entry: QueuedEntry): Promise<void>;
  /** Replaces the entry with the same `seq` (a refusal recorded or cleared, a fresh cmdId). */
  replace(entry: QueuedEntry): Promise<void>;
  remove(seq: number): Promise<void>;
}

const refusalSchema = z.object({
  cmdId: z.string(),
  ok: z.literal(false),
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** What a store may hand back: a stored entry that is not one of these is refused, never replayed. */
export const queuedEntrySchema = z.strictObject({
  seq: z.number().int().min(0),
  cmdId: cmdIdSchema,
  body: tableCommandSchema,
  refusal: refusalSchema.optional(),
}).refine((e) => e.body.cmdId === e.cmdId && queueable(e.body), "not a queueable offline command");

function queueable(body: TableCommand): boolean {
  if (body.type === "confirm") return body.lines !== undefined && body.offline !== undefined;
  return body.type === "payment.start" && body.method === "cash" && body.offline !== undefined;
}

/** Parses stored entries (a file, an IndexedDB read); throws naming the first bad one. */
export function parseStoredEntries(raw: unknown, where: string): QueuedEntry[] {
  const parsed = z.array(queuedEntrySchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${where}: stored offline queue is not valid (${issue?.path.join(".")}: ${issue?.message})`);
  }
  return [...(parsed.data as QueuedEntry[])].sort((a, b) => a.seq - b.seq);
}

/** In memory only: for tests and for a terminal that accepts losing its queue with the page. */
export class MemoryQueueStore implements QueueStore {
  #entries: QueuedEntry[] = [];

  async load(): Promise<QueuedEntry[]> {
    return structuredClone(this.#entries);
  }

  async append(entry: QueuedEntry): Promise<void> {
    this.#entries.push(structuredClone(entry));
  }

  async replace(entry: QueuedEntry): Promise<void> {
    const at = this.#entries.findIndex((e) => e.seq === entry.seq);
    if (at < 0) throw new Error(`no queued entry ${entry.seq}`);
    this.#entries[at] = structuredClone(entry);
  }

  async remove(seq: number): Promise<void> {
    this.#entries = this.#entries.filter((e) => e.seq !== seq);
  }
}

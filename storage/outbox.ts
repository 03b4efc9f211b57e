import type { Storage } from "./database.ts";

export interface OutboxRow {
  readonly id: number;
  /** Stable across redeliveries: `<sessionId>:<seq>`; subscribers drop duplicates by it. */
  readonly eventId: string;
  readonly storeId: string;
  readonly sessionId: string;
  readonly topic: string;
  readonly payload: unknown;
  readonly createdAt: string;
}

/** SQL of the outbox: pages after a subscriber's cursor, and moving that cursor. */
export function createOutboxStore(storage: Storage) {
  const page = storage.sqlite.prepare(
    "select id, event_id, store_id, session_id, topic, payload, created_at from outbox where id > ? order by id limit ?",
  );
  const cursor = storage.sqlite.prepare("select last_id from outbox_cursors where subscriber = ?").pluck();
  const saveCursor = storage.sqlite.prepare(
    `insert into outbox_cursors (subscriber, last_id, updated_at) values (?, ?, ?)
     on conflict (subscriber) do update set last_id = max(last_id, excluded.last_id), updated_at = excluded.updated_at`,
  );
  const maxId = storage.sqlite.prepare("select coalesce(max(id), 0) from outbox").pluck();

  return {
    cursor(subscriber: string): number {
      return (cursor.get(subscriber) as number | undefined) ?? 0;
    },
    page(afterId: number, limit: number): OutboxRow[] {
      return (page.all(afterId, limit) as Record<string, unknown>[]).map((r) => {
        let parsed: unknown;
        return {
          id: r.id as number,
          eventId: r.event_id as string,
          storeId: r.store_id as string,
          sessionId: r.session_id as string,
          topic: r.topic as string,
          // Parsed on first use: a lane skips most topics and never pays for their JSON.
          get payload() {
            return (parsed ??= JSON.parse(r.payload as string));
          },
          createdAt: r.created_at as string,
        };
      });
    },
    markDelivered(subscriber: string, lastId: number, at: string): void {
      saveCursor.run(subscriber, lastId, at);
    },
    headId(): number {
      return maxId.get() as number;
    },
  };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;

/**
 * What one retention write removes (docs/DESIGN.md §5, server/retention.ts): processed_commands
 * rows created before `commandsBefore` (the idempotency window), and outbox rows created before
 * `outboxBefore` that every subscriber's saved cursor has passed. At most `limit` rows in all, so a
 * big backlog is pruned in many short writes instead of one long one.
 */
export interface PruneWrite {
  readonly kind: "prune";
  readonly commandsBefore: string;
  readonly outboxBefore: string;
  /**
   * Subscribers that must have passed a row besides every saved cursor (a registered subscriber
   * with no saved cursor yet counts as 0: nothing is pruned for it).
   */
  readonly subscribers: readonly string[];
  readonly limit: number;
}

export const retentionLimits = {
  /** Rows one retention write deletes at most (processed_commands and outbox together). */
  pruneRowsPerWrite: 5_000,
} as const;

/**
 * SQL of retention. `apply` runs inside a writer transaction; `pending` says (from any connection)
 * whether a write with these cutoffs would still delete something. Without a created_at index on
 * processed_commands (WITHOUT ROWID, keyed by store, actor, cmdId) both scan its key order until they
 * find old rows: the check that finds none reads the whole table once per run.
 */
export function createOutboxPruner(storage: Storage) {
  const cursors = storage.sqlite.prepare("select subscriber, last_id from outbox_cursors");
  // processed_commands is WITHOUT ROWID, keyed (store_id, actor_id, cmd_id).
  const deleteCommands = storage.sqlite.prepare(
    `delete from processed_commands where (store_id, actor_id, cmd_id) in
       (select store_id, actor_id, cmd_id from processed_commands where created_at < ? limit ?)`,
  );
  const deleteOutbox = storage.sqlite.prepare(
    "delete from outbox where id in (select id from outbox where id <= ? and created_at < ? order by id limit ?)",
  );
  const anyCommand = storage.sqlite.prepare("select exists (select 1 from processed_commands where created_at < ?)").pluck();
  // Outbox ids follow commit order, so the oldest row decides: one index lookup, never a scan.
  const oldestOutbox = storage.sqlite.prepare("select created_at from outbox where id <= ? order by id limit 1").pluck();

  /** The highest outbox id every subscriber has passed (0 = none known: nothing may go). */
  const deliveredToAll = (subscribers: readonly string[]): number => {
    const saved = new Map((cursors.all() as { subscriber: string; last_id: number }[]).map((r) => [r.subscriber, r.last_id]));
    const ids = [...saved.values(), ...subscribers.map((name) => saved.get(name) ?? 0)];
    return ids.length === 0 ? 0 : Math.min(...ids);
  };

  return {
    deliveredToAll,
    /** Deletes at most `limit` rows; returns how many of each. */
    apply(write: PruneWrite): { commands: number; outbox: number } {
      const limit = Math.max(0, Math.trunc(write.limit));
      const commands = limit > 0 ? deleteCommands.run(write.commandsBefore, limit).changes : 0;
      const bound = deliveredToAll(write.subscribers);
      const outbox = limit - commands > 0 && bound > 0 ? deleteOutbox.run(bound, write.outboxBefore, limit - commands).changes : 0;
      return { commands, outbox };
    },
    pending(write: Omit<PruneWrite, "kind" | "limit">): boolean {
      if (anyCommand.get(write.commandsBefore) === 1) return true;
      const bound = deliveredToAll(write.subscribers);
      if (bound === 0) return false;
      const oldest = oldestOutbox.get(bound) as string | undefined;
      return oldest !== undefined && oldest < write.outboxBefore;
    },
  };
}

export type OutboxPruner = ReturnType<typeof createOutboxPruner>;

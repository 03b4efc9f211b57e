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

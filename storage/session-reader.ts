import type { SessionEvent } from "../domain/index.ts";
import type { Storage } from "./database.ts";

export interface ProcessedCommand {
  readonly cmdId: string;
  readonly commandType: string;
  readonly bodyHash: string;
  readonly reply: unknown;
}

/** An idempotency key as stored: the client's cmdId within its sender's store and principal. */
export interface CommandKey {
  readonly storeId: string;
  readonly actorId: string;
  readonly cmdId: string;
}

/** A live session of a store and the time of its last event (its last durable activity, R-OFF-1). */
export interface IdleSessionRow {
  readonly session_id: string;
  readonly table_id: string;
  readonly version: number;
  readonly last_activity_at: string;
}

/** Read side used by the rooms: rebuilding a session and answering replayed commands. */
export function createSessionReader(storage: Storage) {
  const live = storage.sqlite
    // A timed-out session still holds its table (R-OFF-1): it is loaded like a live one.
    .prepare("select session_id from sessions where store_id = ? and table_id = ? and status in ('open', 'in_kitchen', 'paying', 'timed_out')")
    .pluck();
  const events = storage.sqlite.prepare("select payload from session_events where session_id = ? order by seq").pluck();
  const eventsAfter = storage.sqlite.prepare("select payload from session_events where session_id = ? and seq > ? and seq <= ? order by seq").pluck();
  const command = storage.sqlite.prepare("select cmd_id, command_type, body_hash, reply from processed_commands where store_id = ? and actor_id = ? and cmd_id = ?");
  // The last event's seq is the session's version. The status list repeats the partial index's, so it is used.
  const idle = storage.sqlite.prepare(
    `select s.session_id, s.table_id, s.version, e.at as last_activity_at from sessions s
     join session_events e on e.session_id = s.session_id and e.seq = s.version
     where s.store_id = ? and s.status in ('open', 'in_kitchen', 'paying', 'timed_out') and s.status != 'timed_out' and e.at < ?
     order by e.at, s.session_id limit ?`,
  );

  return {
    liveSessionId(storeId: string, tableId: string): string | undefined {
      return live.get(storeId, tableId) as string | undefined;
    },
    events(sessionId: string): SessionEvent[] {
      return (events.all(sessionId) as string[]).map((payload) => JSON.parse(payload) as SessionEvent);
    },
    /** R-OFF-1: active sessions of the store whose last event is older than `beforeIso`, oldest first, at most `limit`. */
    idleSessions(storeId: string, beforeIso: string, limit: number): IdleSessionRow[] {
      return idle.all(storeId, beforeIso, limit) as IdleSessionRow[];
    },
    /** R-CON-2: the events at versions after `version` up to `upTo` (event seq = the version it made). */
    eventsAfter(sessionId: string, version: number, upTo: number): SessionEvent[] {
      return (eventsAfter.all(sessionId, version, upTo) as string[]).map((payload) => JSON.parse(payload) as SessionEvent);
    },
    /** A replayed command's first reply; keys are scoped to the store and the principal that sent them. */
    processedCommand(key: CommandKey): ProcessedCommand | undefined {
      const row = command.get(key.storeId, key.actorId, key.cmdId) as { cmd_id: string; command_type: string; body_hash: string; reply: string } | undefined;
      if (!row) return undefined;
      return { cmdId: row.cmd_id, commandType: row.command_type, bodyHash: row.body_hash, reply: JSON.parse(row.reply) };
    },
  };
}

export type SessionReader = ReturnType<typeof createSessionReader>;

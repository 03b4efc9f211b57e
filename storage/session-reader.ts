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

/** Read side used by the rooms: rebuilding a session and answering replayed commands. */
export function createSessionReader(storage: Storage) {
  const live = storage.sqlite
    .prepare("select session_id from sessions where store_id = ? and table_id = ? and status in ('open', 'in_kitchen', 'paying')")
    .pluck();
  const events = storage.sqlite.prepare("select payload from session_events where session_id = ? order by seq").pluck();
  const command = storage.sqlite.prepare("select cmd_id, command_type, body_hash, reply from processed_commands where store_id = ? and actor_id = ? and cmd_id = ?");

  return {
    liveSessionId(storeId: string, tableId: string): string | undefined {
      return live.get(storeId, tableId) as string | undefined;
    },
    events(sessionId: string): SessionEvent[] {
      return (events.all(sessionId) as string[]).map((payload) => JSON.parse(payload) as SessionEvent);
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

import type { Storage } from "./database.ts";

export interface LiveVersion {
  readonly tableId: string;
  readonly sessionId: string;
  readonly version: number;
}

/**
 * The floor view's cheap check for changes made by another process: each live session's version
 * from the projection (one indexed query per store), compared with what this process holds.
 */
export function createFloorReader(storage: Storage) {
  const live = storage.sqlite.prepare(
    "select table_id as tableId, session_id as sessionId, version from sessions where store_id = ? and status in ('open', 'in_kitchen', 'paying', 'timed_out')",
  );
  return {
    liveVersions: (storeId: string): LiveVersion[] => live.all(storeId) as LiveVersion[],
  };
}

export type FloorReader = ReturnType<typeof createFloorReader>;

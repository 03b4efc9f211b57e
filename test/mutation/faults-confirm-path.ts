import type { Fault } from "./faults.ts";

/** Issue 15 item 3: the confirm path's cheaper room-state sync (rooms/table/state-sync.ts). */
const sync = [["test/rooms", "state-sync"]] as const;
const relay = [["test/server", "outbox-relay\\.test"]] as const;

export const faults: readonly Fault[] = [
  {
    id: "sync-keeps-old-session-rows",
    rule: "after the table moves to a new session, the previous party's lines leave the synced state",
    file: "rooms/table/state-sync.ts",
    find: "const sameSession = view.sessionId === session.sessionId;",
    replace: "const sameSession = true;",
    tests: sync,
  },
  {
    id: "sync-skips-touched-batches",
    rule: "a batch whose line changed (cooked, served, cancelled) shows its new status",
    file: "rooms/table/state-sync.ts",
    find: "    touched.add(item.batchId);",
    replace: "",
    tests: sync,
  },
  {
    id: "batch-statuses-ready-early",
    rule: "a batch is ready only when every live line of it is cooked or served",
    file: "domain/session/state.ts",
    find: 'c.done === c.live ? "ready"',
    replace: 'c.done > 0 ? "ready"',
    tests: sync,
  },
  {
    id: "relay-page-not-shared",
    rule: "outbox lanes draining in step read each page once",
    file: "server/outbox-relay.ts",
    find: "if (this.#lastPage?.afterId === afterId) return this.#lastPage.rows;",
    replace: "",
    tests: relay,
  },
  {
    id: "relay-stale-page-after-commit",
    rule: "an empty page is never shared, so no lane takes an old empty end for the head",
    file: "server/outbox-relay.ts",
    find: "this.#lastPage = rows.length > 0 ? { afterId, rows } : undefined;",
    replace: "this.#lastPage = { afterId, rows };",
    tests: relay,
  },
];

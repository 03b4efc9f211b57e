import type { Fault } from "./faults.ts";

/** Issue 15 item 3: the confirm path's cheaper room-state sync (rooms/table/state-sync.ts). */
const sync = [["test/rooms", "state-sync"]] as const;

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
];

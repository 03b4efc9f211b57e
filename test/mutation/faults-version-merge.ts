import type { Fault } from "./faults.ts";

/** Issue 13 item 4: optimistic versions with merge (R-CON-2, R-ACC-7; docs/CONCURRENCY.md). */
const domain = ["test/domain", "rebase"] as const;
const race = ["test/rooms", "two-terminals-race"] as const;

export const faults: readonly Fault[] = [
  {
    id: "merge-cancel-of-changed-item",
    rule: "a stale cancel or quantity change of an item that changed since conflicts",
    file: "domain/session/rebase.ts",
    find: `return where((f) => f.kind !== "derived" && (f.items.includes(command.itemId) || f.targets.includes(command.itemId)));`,
    replace: `return where(() => false);`,
    tests: [domain, race],
  },
  {
    id: "merge-never-conflicts",
    rule: "a stale command that does not commute is refused with version_conflict",
    file: "domain/session/rebase.ts",
    find: "if (hits.length === 0) return undefined;",
    replace: "if (hits.length >= 0) return undefined;",
    tests: [domain, race],
  },
  {
    id: "merge-payment-past-moved-balance",
    rule: "a stale payment no longer payable conflicts with the changes that moved the balance",
    file: "domain/session/rebase.ts",
    find: "if (moved === 0) return [];",
    replace: "if (moved !== null) return [];",
    tests: [domain, race],
  },
  {
    id: "merge-close-on-stale-view",
    rule: "closing on a stale view conflicts with any change but kitchen progress",
    file: "domain/session/rebase.ts",
    find: "return where(anythingButKitchen);",
    replace: "return where(() => false);",
    tests: [domain],
  },
  {
    id: "merge-kitchen-blocks-close",
    rule: "kitchen progress never blocks a decision made on the floor",
    file: "domain/session/rebase.ts",
    find: `const anythingButKitchen = (f: Footprint) => f.kind !== "kitchen" && f.kind !== "derived";`,
    replace: `const anythingButKitchen = (f: Footprint) => f.kind !== "derived";`,
    tests: [domain],
  },
  {
    id: "merge-room-without-history",
    rule: "the table actor gives decide the events since the command's version, so stale commands can merge",
    file: "rooms/table/table-session.ts",
    find: "const history = this.#tail.historyFor(base, command.expectedVersion, this.ctx.reader);",
    replace: "const history = undefined;",
    tests: [race],
  },
  {
    id: "merge-tail-off-by-one",
    rule: "the in-memory tail hands over exactly the events after the command's version",
    file: "rooms/table/session-history.ts",
    find: "this.#events.slice(expected - this.#start)",
    replace: "this.#events.slice(expected - this.#start + 1)",
    tests: [race],
  },
  {
    id: "merge-journal-read-includes-base",
    rule: "an older base is read from the journal: the events after it, not from it",
    file: "storage/session-reader.ts",
    find: "where session_id = ? and seq > ? and seq <= ? order by seq",
    replace: "where session_id = ? and seq >= ? and seq <= ? order by seq",
    tests: [race],
  },
  {
    id: "merge-forgets-earlier-adjustments",
    rule: "a removed adjustment applied before the sender's version still touches its target",
    file: "rooms/table/session-history.ts",
    find: "  if (!needed) return undefined;",
    replace: "  if (needed || !needed) return undefined;",
    tests: [race],
  },
  {
    id: "merge-not-audited",
    rule: "a merged stale command leaves a conflict.merged audit row (SPEC: conflict resolved)",
    file: "rooms/table/table-session.ts",
    find: ", ...mergeAudit(command, base, events)]",
    replace: "]",
    tests: [race],
  },
];

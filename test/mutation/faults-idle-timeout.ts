import type { Fault } from "./faults.ts";

// R-OFF-1, issue 13 item 5: the idle timeout's rules, each broken once.
const domain = ["test/domain", "idle-timeout"] as const;
const e2e = ["test/e2e", "idle-timeout"] as const;

export const faults: readonly Fault[] = [
  {
    id: "idle-sweep-not-at-start",
    rule: "the sweeper also runs at start, so a session idle across a restart times out",
    file: "server/idle-sweeper.ts",
    find: "  start(): void {\n    void this.runOnce();\n",
    replace: "  start(): void {\n",
    tests: [e2e],
  },
  {
    id: "idle-timed-out-takes-orders",
    rule: "a timed-out session takes no new order until staff resume it",
    file: "domain/session/idle.ts",
    find: `if (command.type === "ConfirmDraft" || command.type === "ChangeItemQuantity") {`,
    replace: `if (command.type === "ChangeItemQuantity") {`,
    tests: [domain, e2e],
  },
  {
    id: "idle-activity-since-ignored",
    rule: "activity after the sweeper looked keeps the session live",
    file: "domain/session/idle.ts",
    find: "if (command.lastActivityAt !== state.lastActivityAt) return reject(",
    replace: "if (false) return reject(",
    tests: [domain],
  },
  {
    id: "idle-timed-out-is-over",
    rule: "a timed-out session is not over: payments, close and resume still work, the table stays taken",
    file: "domain/session/state.ts",
    find: `return isActive(status) || status === "timed_out";`,
    replace: "return isActive(status);",
    tests: [domain, e2e],
  },
  {
    id: "idle-balance-not-reported",
    rule: "a timed-out session's balance is listed in the report and the daily close",
    file: "storage/report-reader.ts",
    find: "status in ('open', 'in_kitchen', 'paying', 'timed_out') order by table_id",
    replace: "status in ('open', 'in_kitchen', 'paying') order by table_id",
    tests: [e2e],
  },
  {
    id: "idle-draft-kept",
    rule: "the shared draft is dropped when the table times out",
    file: "rooms/table/table-room.ts",
    find: `if (events.some((e) => e.type === "SessionTimedOut") && this.state.draft.size > 0) this.#draft.clear();`,
    replace: "",
    tests: [e2e],
  },
  {
    id: "idle-phones-kept",
    rule: "a phone's customer token dies when its session times out",
    file: "rooms/table/table-room.ts",
    find: "if (!isActive(session.status)) this.#guests.sendAway(this.clients);",
    replace: "if (isTerminal(session.status)) this.#guests.sendAway(this.clients);",
    tests: [e2e],
  },
  {
    id: "idle-resume-stays-timed-out",
    rule: "resume gives the session back the status its contents give",
    file: "domain/session/evolve.ts",
    find: `      return { ...s, status: "open" };`,
    replace: `      return { ...s, status: "timed_out" };`,
    tests: [domain, e2e],
  },
  {
    id: "idle-config-both-units",
    rule: "a store gives its idle timeout in minutes or in seconds, never both (no silent override)",
    file: "server/config/schema.ts",
    find: `if (sessions.idleTimeoutMinutes !== undefined && sessions.idleTimeoutSeconds !== undefined) fail(`,
    replace: `if (false) fail(`,
    tests: [["test/server", "idle-config"]],
  },
];

import type { Fault } from "./faults.ts";

/** Issue 15 review fixes: a printer that says it cannot print, late settles, failover that fails, held-back windows. */
const actor = [["test/printers", "printer-actor"]] as const;
const family = [["test/domain", "printing-slip-family"]] as const;
const line = [["test/printers", "print-line"]] as const;

export const faults: readonly Fault[] = [
  {
    id: "print-not-ready-burns-attempts",
    rule: "while the printer says paper out, its slips wait without using up attempts and print once it is ready",
    file: "printers/actor/printer-actor.ts",
    find: "if (this.#notReady !== undefined && !(await this.#readyAgain())) return 0;",
    replace: "",
    tests: actor,
  },
  {
    id: "stale-settle-unprints",
    rule: "a late outcome of an older attempt never moves a printed slip back to pending or failed",
    file: "domain/printing/slip-family.ts",
    find: 'if (slip.state === "printed" || slip.state === "superseded") return',
    replace: 'if (slip.state === "superseded") return',
    tests: family,
  },
  {
    id: "failover-failure-left-set",
    rule: "a failover that could not be stored is not reported as done (the next failure tries again)",
    file: "printers/actor/settle-queue.ts",
    find: "      this.health.failedOverTo = null;\n      this.deps.log.error(`printer ${this.printer.id}: failover failed`, error);",
    replace: "      this.deps.log.error(`printer ${this.printer.id}: failover failed`, error);",
    tests: actor,
  },
  {
    id: "line-later-echo-confirms-dropped",
    rule: "an echo confirms its own job only; an earlier job whose echo was skipped is unknown (its next copy is marked)",
    file: "printers/transport/print-line.ts",
    find: 'i === at ? this.#result("confirmed") : this.#result("unknown", "echo_skipped")',
    replace: 'this.#result("confirmed")',
    tests: line,
  },
];

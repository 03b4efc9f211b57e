import type { Fault } from "./faults.ts";

/** Issue 15 item 2, printing that keeps up: a pipelined print line and batched bookkeeping, with the exactly-once rules unchanged. */
const line = [["test/printers", "print-line"]] as const;
const actor = [["test/printers", "printer-actor"]] as const;

export const faults: readonly Fault[] = [
  {
    id: "line-unechoed-as-not-sent",
    rule: "a job whose bytes were written and never echoed is unknown (may be on paper), never not-sent",
    file: "printers/transport/print-line.ts",
    find: `for (const entry of written) entry.resolve(this.#result("unknown", error));`,
    replace: `for (const entry of written) entry.resolve(this.#result("not-sent", error));`,
    tests: line,
  },
  {
    id: "line-prints-on-paper-out",
    rule: "a printer out of paper, open or offline at connect gets no slip byte: its jobs are not-sent at once",
    file: "printers/transport/print-line.ts",
    find: "    if (reason !== undefined) return this.#fail(reason); // nothing written yet: every job is not-sent\n",
    replace: "",
    tests: line,
  },
  {
    id: "actor-bytes-before-start-commit",
    rule: "a window's job rows are durable before the first byte of any of its slips is sent",
    file: "printers/actor/printer-actor.ts",
    find: "    const failedOver = this.health.failedOverTo;\n    await this.#settles.commitWith(writes);\n",
    replace: "    const failedOver = this.health.failedOverTo;\n    if (jobs.length > 0) await this.#send(jobs);\n    await this.#settles.commitWith(writes);\n",
    tests: actor,
  },
  {
    id: "actor-one-slip-at-a-time",
    rule: "a printer's slips are pipelined and their bookkeeping batched (not two commits per slip)",
    file: "printers/actor/printer-actor.ts",
    find: "this.#window = deps.windowJobs ?? lineLimits.windowJobs;",
    replace: "this.#window = 1;",
    tests: actor,
  },
];

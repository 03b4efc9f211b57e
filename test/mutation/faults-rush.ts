import type { Fault } from "./faults.ts";

/** The dinner-rush simulator's short mode (issue 15): its figures must come from what really happened. */
const rushShort = [["test/bench", "rush-short"]] as const;

export const faults: readonly Fault[] = [
  {
    id: "rush-reply-not-counted",
    rule: "every confirm sent is counted as answered when its reply comes",
    file: "bench/rush-step.ts",
    find: "    counts.answered += 1;\n",
    replace: "",
    tests: rushShort,
  },
  {
    id: "rush-slip-not-matched",
    rule: "a slip the emulator stored is matched to its confirm's ticket by the id printed on it",
    file: "bench/rush-printer.ts",
    find: "return ticketIdPattern.exec(slip.text.replace(/\\s+/g, \"\"))?.[1];",
    replace: "return ticketIdPattern.exec(slip.text)?.[1];",
    tests: rushShort,
  },
  {
    id: "rush-phones-share-a-cart",
    rule: "a table's phones never have two orders under way at once (they share one cart)",
    file: "bench/rush-step.ts",
    find: "  if (table.phoneOrderUnderWay) return undefined;\n",
    replace: "",
    tests: rushShort,
  },
];

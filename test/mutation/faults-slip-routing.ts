import type { Fault } from "./faults.ts";

/** Issue 15: storage knows no printers; the submitter names them (server/slip-routing.ts). */
const routing = [["test/server", "slip-routing"], ["test/e2e", "printing\\.test"]] as const;

export const faults: readonly Fault[] = [
  {
    id: "slip-route-dropped",
    rule: "a confirm's unit carries the printer of each station, so its slips are written in its own transaction",
    file: "server/slip-routing.ts",
    find: "return this.inner.submit(withSlipPrinters(unit, this.#route));",
    replace: "return this.inner.submit(unit);",
    tests: routing,
  },
];

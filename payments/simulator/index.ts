/** The VAN/PG simulator: a test and demo stand-in for a Korean card VAN or PG. See README.md. */
export { startVanSimulator, type LedgerSnapshot, type VanSimulator, type VanSimulatorOptions } from "./server.ts";
export { type Fault, type FaultSpec, type FaultView, type Operation, operations } from "./faults.ts";
export { defaultCardToken } from "./cards.ts";
export type { CardInfo, LedgerEntry } from "./ledger.ts";
export type { SettlementLineView } from "./settlement.ts";

/** The table session: one guest stay (R-GOAL-1), as a decider over its event stream. */
export * from "./commands.ts";
export * from "./events.ts";
export * from "./errors.ts";
export * from "./state.ts";
export { decide, type Decision, type DecideContext, type MoneyPolicy, type Step, type StockLevel } from "./decide.ts";
export { defaultMoneyPolicy } from "./decide-payment.ts";
export * from "./amounts.ts";
export { evolve, fold, assertTotals } from "./evolve.ts";
export { staleConflict, rebaseLimits, type AdjustmentTarget, type ConflictingChange, type SessionHistory, type VersionConflict } from "./rebase.ts";

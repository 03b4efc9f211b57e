/**
 * Payment providers (R-EVT-3, R-PAY-3, R-CON-4): one interface (provider.ts), a cash drawer and a
 * VAN/PG card channel. The simulator (payments/simulator) is for tests and demos only.
 */
export type * from "./provider.ts";
/** Card, easy pay and points over a VAN/PG HTTP API; also issues 현금영수증. */
export { CardProvider, createCardProvider, type CardProviderOptions } from "./card-provider.ts";
/** Cash: recorded at once in an in-process ledger. */
export { CashProvider, createCashProvider, type CashProviderOptions } from "./cash-provider.ts";
export { adapterLimits, cardRules, cashLimits, paymentFieldLimits, simulatorLimits } from "./limits.ts";

/** Every bound the payment layer enforces, named once (house style: a limit on everything). */

/** Rules the simulator plays, as Korean card companies and Toss document them (PAYMENTS-KR.md 1.7). */
export const cardRules = {
  /** `BELOW_MINIMUM_AMOUNT`: card and easy-pay charges start at ₩100. */
  amountMinWon: 100,
  /** `EXCEED_MAX_CARD_INSTALLMENT_PLAN`: installments only from ₩50,000 (common rule, unverified). */
  installmentAmountMinWon: 50_000,
  /** 할부 2..36 months; 0 = 일시불, 1 is not a plan. */
  installmentMonthsMax: 36,
} as const;

/** Request shapes both sides accept. */
export const paymentFieldLimits = {
  /** 100억: no table spends more (same bound as domain money). */
  amountWonMax: 10_000_000_000,
  orderIdCharsMax: 80,
  cancelIdCharsMax: 80,
  storeIdCharsMax: 64,
  cardTokenCharsMax: 64,
  reasonCharsMax: 200,
  /** Largest JSON body the simulator reads; every request is a few hundred bytes. */
  requestBodyBytesMax: 16 * 1024,
  /** Largest answer the adapter reads (a settlement of a busy day is the biggest). */
  answerBodyBytesMax: 8 * 1024 * 1024,
} as const;

/** The VAN/PG simulator (test and demo only). */
export const simulatorLimits = {
  /** Ledger entries kept; past it, new charges get 503 `LEDGER_FULL` (a demo runs for days, not years). */
  ledgerEntriesMax: 200_000,
  /** Faults set at once. */
  faultsMax: 32,
  /** `times` on one fault. */
  faultTimesMax: 10_000,
  /** `slow` delay and `down`/refuse duration. */
  faultDelayMsMax: 120_000,
  /** Simultaneous connections (server.maxConnections); hung `timeout` requests count too. */
  connectionsMax: 256,
  /** A ledger file larger than this is refused at start (a full ledger is about 100 MB). */
  ledgerFileBytesMax: 256 * 1024 * 1024,
} as const;

/** The HTTP adapter (card-provider.ts). */
export const adapterLimits = {
  /** NICEPAY advises read 30 s (PAYMENTS-KR.md 1.5); PortOne advises ≥ 60 s. */
  requestTimeoutMsDefault: 30_000,
  requestTimeoutMsMax: 120_000,
  /** query / netCancel / settlement only; approve is never retried (an unknown stays unknown). */
  attemptsMax: 3,
  backoffMsFirst: 100,
  backoffMsMax: 2_000,
} as const;

/** The in-process cash ledger (cash-provider.ts). */
export const cashLimits = {
  /** Orders remembered; the oldest are forgotten first (the session journal is the record). */
  ordersKeptMax: 50_000,
} as const;

/** Bounds of the reports (house style: a limit on everything), named once. */
export const reportLimits = {
  /** Sessions closed in one business day that one report folds; more is refused (LIMIT_EXCEEDED), never cut short. */
  sessionsPerDayMax: 20_000,
  /** Live sessions and sessions with an unsettled intent listed (a store has fewer tables). */
  liveSessionsMax: 2_000,
  /** Sessions scanned for one settlement comparison (payments asked for within the date ± 2 days). */
  settlementSessionsMax: 50_000,
  /** Lines of one provider settlement file compared. */
  settlementLinesMax: 100_000,
  /** Days either side of a settlement date whose payment requests are scanned (an approval or cancel can lag its request). */
  settlementLagDays: 2,
} as const;

/** Kitchen bounds, named once. */
export const kitchenLimits = {
  seenEventIdsMax: 50_000,
  /** A screen is dead when its last heartbeat is older than this (the front sees it within seconds). */
  heartbeatTimeoutMs: 5_000,
  statusCheckEveryMs: 1_000,
  /** Urgency and late-serve flags are recomputed at this pace. */
  flagRefreshEveryMs: 5_000,
  allDayRefreshEveryMs: 500,
  kitchenClientsMax: 64,
  /** Bumped tickets kept on the board per store for recall. */
  bumpedKeptMax: 50,
} as const;

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
  /**
   * Bumped ticket ids kept in each kitchen room's synced state (`bumped`, for "recall the last one").
   * Older bumped tickets leave the state but stay on the board, so a recall by id still works.
   */
  bumpedKeptMax: 50,
} as const;

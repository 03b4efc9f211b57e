/** Storage bounds, named once. */
export const storageLimits = {
  /** One commit holds at most this many commands; the rest wait for the next fsync. */
  unitsPerCommitMax: 256,
  /** Outbox rows read per relay page. */
  outboxPageSize: 100,
} as const;

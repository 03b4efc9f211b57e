/**
 * Room bounds, named once (house style: a limit on everything). docs/PROTOCOL.md "Limits" lists
 * them all; test/rooms/limits.test.ts checks that the largest valid command fits under both caps.
 */
export const roomLimits = {
  /**
   * App-level cap on one decoded command, measured without building anything from it
   * (protocol/measure.ts: UTF-8 bytes of keys and strings plus a few bytes per value). The
   * largest valid command (a confirm of draftLinesMax lines, each with the longest ids, the
   * most options and the longest Korean note) measures about 120 KiB.
   */
  commandBytesMax: 128 * 1024,
  /** Values in one command (the largest valid one has about 1,500). */
  commandValuesMax: 4_096,
  /** Nesting of objects and arrays (a confirm's option id sits at depth 4). */
  commandDepthMax: 8,
  /**
   * ws maxPayload: a frame over it is refused by its header, before a byte of it is buffered or
   * decoded (close 1009). Just above commandBytesMax so an oversized command that still fits a
   * frame gets a typed PAYLOAD_TOO_LARGE reply, and small enough that decoding a hostile frame
   * (msgpack records expand: one key list shared by many objects) stays cheap.
   */
  transportPayloadBytesMax: 160 * 1024,
  /** The server pings every socket this often and drops one that missed pingMaxRetries pongs. */
  pingIntervalMs: 2_000,
  pingMaxRetries: 2,
  mailboxLengthMax: 256,
  replyCacheEntries: 2_000,
  /** Terminals on one table; the next one is refused with TABLE_FULL. */
  tableClientsMax: 32,
  /** Seats Colyseus may hold for dropped terminals above tableClientsMax (they do not count towards it). */
  heldSeatsMax: 32,
  /**
   * Per client and second; Colyseus closes a client over it (4002) and no seat is held for it.
   * A terminal sends a few commands a second; an offline queue replays one at a time.
   */
  messagesPerSecondMax: 100,
  /** A dropped terminal may come back within this window and keep its seat and session id. */
  reconnectSeconds: 20,
} as const;

/** R-OFF-2: a POS's offline queue (clients/offline-queue.ts) and the room's check of its origin. */
export const offlineLimits = {
  /** A queued command older than this is refused (a day-old queue needs a person, not a replay). */
  queuedAgeMaxMs: 24 * 60 * 60 * 1000,
  /** Commands one terminal may hold while offline; the next enqueue is refused (QUEUE_FULL). */
  queueLengthMax: 200,
  /** How far a terminal's clock may run ahead of the server's before its queuedAt is refused. */
  clockAheadMaxMs: 5 * 60 * 1000,
} as const;

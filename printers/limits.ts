/** Every bound the printer layer enforces, named once (house style: a limit on everything). */

/** Streaming ESC/POS decoder: keeps memory bounded whatever a peer sends. */
export const decoderLimits = {
  /** Lines kept per slip; a stream that never cuts cannot grow without end. */
  slipLinesMax: 2_000,
  /** Characters kept per line; the rest is counted as dropped. */
  lineCharsMax: 512,
  /** GS ( H payloads up to this size are buffered and parsed; larger ones are skipped. */
  processIdPayloadBytesMax: 64,
  /** NUL-terminated arguments (ESC D tab stops, GS k barcodes) longer than this end anyway. */
  nulTerminatedBytesMax: 256,
  /** Default horizontal tab stop spacing, in columns (Epson default is every 8). */
  tabColumns: 8,
} as const;

/** Test/admin printer emulator. */
export const emulatorLimits = {
  /** Slips kept in memory; the oldest are dropped first. */
  slipsStoredMax: 1_000,
  /** Simultaneous TCP connections accepted (server.maxConnections). */
  connectionsMax: 32,
  /** Slips rendered by textDump(), newest last. */
  dumpSlipsMax: 200,
  /** Column frame used by textDump() when the caller gives none (80 mm paper, font A). */
  dumpWidthChars: 42,
} as const;

/** Kitchen slip rendering. */
export const slipLimits = {
  /** 58 mm paper prints 32 columns, 80 mm prints 42–48 in font A. */
  widthCharsMin: 24,
  widthCharsMax: 64,
  itemsMax: 100,
  optionsPerItemMax: 20,
  /** Characters per free-text field (name, note, option); domain limits are lower. */
  textCharsMax: 200,
  quantityMax: 999,
  reprintCountMax: 99,
  /** Distinct non-ASCII chars whose KS X 1001 check is memoised. */
  printableCacheMax: 4_096,
} as const;

/** Raw TCP transport to a printer (port 9100). */
export const transportLimits = {
  /** Largest job accepted; a kitchen slip is a few KB. */
  jobBytesMax: 1_000_000,
  connectTimeoutMsMax: 30_000,
  completionTimeoutMsMax: 120_000,
  statusTimeoutMsMax: 30_000,
  /** After end(), wait this long for the printer to close before destroying the socket. */
  closeLingerMs: 250,
  /** Longest reply block (header … NUL) parsed from the printer; longer ones are cut off. */
  replyBlockBytesMax: 80,
} as const;

/** The persistent print line (one connection per printer, jobs pipelined on it). */
export const lineLimits = {
  /** Jobs written and not yet echoed, at most: a printer buffers a few slips, the rest wait their turn. */
  windowJobs: 16,
  /** An idle line closes after this long (a health check or another client may want the printer). */
  idleCloseMs: 2_000,
  /**
   * While a printer says it cannot print (paper out, cover open, offline), its status is asked this
   * often; its slips wait without using up attempts and go the moment it is ready (a paper roll).
   */
  notReadyPollMs: 1_000,
} as const;

/** Room bounds, named once (house style: a limit on everything). */
export const roomLimits = {
  /** App-level cap on one command's JSON size; the socket itself closes past transportPayloadBytesMax. */
  commandBytesMax: 16 * 1024,
  /** ws maxPayload: above the command cap so an oversized command still gets a typed reply. */
  transportPayloadBytesMax: 2 * 1024 * 1024,
  mailboxLengthMax: 256,
  replyCacheEntries: 2_000,
  tableClientsMax: 32,
  /** Per client; Colyseus disconnects a client over it (flood guard, not a business rule). */
  messagesPerSecondMax: 500,
  /** A dropped terminal may come back within this window and keep the shared draft. */
  reconnectSeconds: 20,
} as const;

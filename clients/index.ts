/**
 * The client library (browser-safe: no Node built-ins; test/wire/browser-safe.test.ts checks it).
 * Node-only parts live in clients/node/** and are not exported from here.
 *
 * API (stable; the offline queue, clients/offline-queue*.ts, builds on it):
 *
 *   // HTTP (clients/api.ts)
 *   login(endpoint, storeId, staffId, pin): Promise<LoginResult>          // throws ApiError { code, status }
 *   staffLogin(endpoint, storeId, staffId, pin): Promise<StaffSession>   // LoginResult + endpoint
 *   class ApiError extends Error { code: WireErrorCode | string; status: number; details? }
 *
 *   // Rooms (clients/room-client.ts)
 *   type ServerAuth = { endpoint: string; token: string }                  // a StaffSession fits
 *   joinTable(auth, { storeId, tableId }, settings?): Promise<TableClient>
 *   joinKitchenRoom(auth, { storeId, stationId }, settings?): Promise<KitchenClient>
 *   joinAdminRoom(auth, { storeId }, settings?): Promise<AdminClient>
 *   joinRoom(name, auth, joinOptions, settings?): Promise<RoomClient<name>>
 *     resolves once the first full state arrived.
 *   type TableClient = RoomClient<"table">  (KitchenClient = RoomClient<"kitchen">, AdminClient = …<"admin">)
 *
 *   class RoomClient<R> {
 *     command(type, fields, { cmdId?, timeoutMs?, issuedAt? }?): Promise<Reply<ReplyData>>
 *       fields = that command's fields without cmdId/type (typed from the zod schema); may be
 *       omitted when every field is optional. cmdId defaults to a random UUID v4 (clients/ids.ts: getRandomValues, so it works on plain-HTTP LAN pages too).
 *       Resolves exactly once with the server's reply (ok or a typed WireError). If the link
 *       drops while it is in flight, or it is called while not online, it waits for the
 *       reconnection and sends the SAME cmdId again (the server replays the first reply).
 *       Rejects only with a ClientError: "CLIENT_LEFT" (leave() was called or the client gave
 *       up rejoining; the outcome is unknown — send the same cmdId again later) or
 *       "COMMAND_TIMEOUT" (attemptsMax attempts each timed out; same advice).
 *     readonly status: "online" | "reconnecting" | "offline"
 *       online: joined and the state is current. reconnecting: the link is down and the client
 *       is trying (SDK reconnection, then fresh joins with backoff). offline: it stopped trying
 *       (leave(), or the server refused the join: token expired, forbidden).
 *     onStatus(listener: (status, previous) => void): () => void          // returns unsubscribe
 *     onReconnected(listener: ({ fresh }) => void): () => void
 *       fired after a drop once the full current state has arrived; fresh = a new seat after a
 *       fresh join (server restarted / room gone), false = the SDK's reconnection kept the seat.
 *     readonly state: any            // the decoded room state (a new object after a fresh join)
 *     onMessage(type, listener): () => void     // notices etc.; kept across rejoins
 *     leave(): Promise<void>         // consented leave; status "offline"; pending commands reject CLIENT_LEFT
 *   }
 *   class ClientError extends Error { code: "CLIENT_LEFT" | "COMMAND_TIMEOUT" | "JOIN_REFUSED" | "JOIN_FAILED" | "JOIN_TIMEOUT" | "REQUEST_FAILED" }
 *
 *   settings (RoomClientSettings, clients/settings.ts): heartbeatMs (2000), heartbeatTimeoutMs (3000),
 *   commandTimeoutMs (15000), commandAttemptsMax (5), joinTimeoutMs, sdkRetriesMax, reconnectStallMs,
 *   rejoinDelayMs, rejoinDelayMaxMs (5000), rejoinAttemptsMax.
 */
export * from "./api.ts";
export * from "./client-error.ts";
export * from "./commands.ts";
export * from "./ids.ts";
export * from "./join.ts";
export * from "./offline-queue.ts";
export * from "./room-client.ts";
export * from "./settings.ts";

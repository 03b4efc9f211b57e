/**
 * Room names and what a client sends and receives in each (docs/PROTOCOL.md §2, §4). Both the
 * server (server/app.ts defines the rooms by these names) and every client import them.
 */
export const roomNames = { table: "table", kitchen: "kitchen", admin: "admin", floor: "floor" } as const;
export type RoomName = (typeof roomNames)[keyof typeof roomNames];

/** Join options per room; the server checks them against the caller's token and the store. */
export interface JoinOptionsByRoom {
  readonly table: { readonly storeId: string; readonly tableId: string };
  /** `stationId` is a station id or `"all"`. */
  readonly kitchen: { readonly storeId: string; readonly stationId: string };
  readonly admin: { readonly storeId: string };
  /** The store's floor view (POS first screen): read only, staff and admin. */
  readonly floor: { readonly storeId: string };
}

/** Message types on the wire: every command is a `cmd`; its answer (to `send`) is a `reply`. */
export const messageTypes = {
  command: "cmd",
  reply: "reply",
  /** Server → terminals: a print failure of this table (R-UI-4). */
  notice: "notice",
  /** Server → staff: a customer pressed "직원 호출". */
  staffCall: "staffCall",
  /** Kitchen screen → server, so the floor knows the screen is alive. */
  kitchenHeartbeat: "heartbeat",
  /**
   * Client → any room, as a request: answered at once with `{ pong: true }` (not a command: no
   * cmdId, no reply record). The client library's heartbeat; a missed answer means a dead link.
   */
  ping: "ping",
} as const;

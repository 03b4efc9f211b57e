import { Client, type Room } from "@colyseus/sdk";

/**
 * The reply every command gets (docs/PROTOCOL.md), loosely typed for tests and benches that pass
 * `type` as a string. New code: the typed RoomClient (clients/room-client.ts, docs/CLIENTS.md).
 */
export type CommandReply<T = Record<string, unknown>> =
  | { cmdId: string; ok: true; data: T }
  | { cmdId: string; ok: false; error: { code: string; message: string; details?: unknown } };

// Login lives in the client library (clients/api.ts); re-exported for the existing callers.
export { login, type LoginResult } from "./api.ts";
import { login, type LoginResult } from "./api.ts";

/**
 * A POS terminal's connection to one table room. `command` makes the cmdId unless given one
 * (pass the same cmdId again to retry safely after a timeout or a reconnect).
 */
export class TableConnection {
  constructor(readonly room: Room) {}

  command<T = Record<string, unknown>>(type: string, fields: Record<string, unknown> = {}, cmdId: string = globalThis.crypto.randomUUID(), timeoutMs = 10_000): Promise<CommandReply<T>> {
    return this.room.request("cmd", { ...fields, type, cmdId }, { timeout: timeoutMs }) as Promise<CommandReply<T>>;
  }

  get state(): any {
    return this.room.state;
  }

  leave(): Promise<number> {
    return this.room.leave(true);
  }
}

export class PosClient {
  readonly sdk: Client;
  constructor(readonly endpoint: string, readonly session: LoginResult) {
    this.sdk = new Client(endpoint);
    this.sdk.http.authToken = session.token;
  }

  static async login(endpoint: string, storeId: string, staffId: string, pin: string): Promise<PosClient> {
    return new PosClient(endpoint, await login(endpoint, storeId, staffId, pin));
  }

  /** Resolves once the first full state has arrived, so `state` is usable at once. */
  async joinTable(tableId: string, storeId: string = this.session.storeId, timeoutMs = 10_000): Promise<TableConnection> {
    const room = await this.sdk.joinOrCreate("table", { storeId, tableId });
    await firstState(room, timeoutMs);
    return new TableConnection(room);
  }
}

function firstState(room: Room, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no state from the room")), timeoutMs);
    room.onStateChange.once(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

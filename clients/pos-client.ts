import { Client, type Room } from "@colyseus/sdk";

/** The reply every command gets (docs/PROTOCOL.md). */
export type CommandReply<T = Record<string, unknown>> =
  | { cmdId: string; ok: true; data: T }
  | { cmdId: string; ok: false; error: { code: string; message: string; details?: unknown } };

export interface LoginResult {
  token: string;
  expiresAt: string;
  staffId: string;
  storeId: string;
  role: string;
  name: string;
}

/** Logs in over HTTP; throws with the server's error code on refusal. */
export async function login(httpUrl: string, storeId: string, staffId: string, pin: string): Promise<LoginResult> {
  const response = await fetch(`${httpUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ storeId, staffId, pin }),
  });
  const body = (await response.json()) as { ok: boolean; data?: LoginResult; error?: { code: string; message: string } };
  if (!body.ok || !body.data) throw Object.assign(new Error(body.error?.message ?? "login failed"), { code: body.error?.code });
  return body.data;
}

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

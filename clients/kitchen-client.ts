import type { Room } from "@colyseus/sdk";
import { PosClient, type CommandReply } from "./pos-client.ts";

export const heartbeatEveryMs = 2_000;

/** A kitchen display's connection: commands like a terminal's, plus the liveness heartbeat. */
export class KitchenConnection {
  #timer: ReturnType<typeof setInterval> | undefined;
  constructor(readonly room: Room) {}

  command<T = Record<string, unknown>>(type: string, fields: Record<string, unknown> = {}, cmdId: string = globalThis.crypto.randomUUID(), timeoutMs = 10_000): Promise<CommandReply<T>> {
    return this.room.request("cmd", { ...fields, type, cmdId }, { timeout: timeoutMs }) as Promise<CommandReply<T>>;
  }

  get state(): any {
    return this.room.state;
  }

  startHeartbeat(everyMs = heartbeatEveryMs): void {
    this.stopHeartbeat();
    this.room.send("heartbeat");
    this.#timer = setInterval(() => this.room.send("heartbeat"), everyMs);
    (this.#timer as { unref?: () => void }).unref?.(); // Node: do not keep the process alive
  }

  stopHeartbeat(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  leave(): Promise<number> {
    this.stopHeartbeat();
    return this.room.leave(true);
  }
}

/** Joins the kitchen room of the logged-in store for one station, or "all". */
export async function joinKitchen(client: PosClient, stationId: string, timeoutMs = 10_000): Promise<KitchenConnection> {
  const room = await client.sdk.joinOrCreate("kitchen", { storeId: client.session.storeId, stationId });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no state from the kitchen room")), timeoutMs);
    room.onStateChange.once(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  return new KitchenConnection(room);
}

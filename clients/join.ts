import type { Client, Room } from "@colyseus/sdk";
import type { JoinOptionsByRoom, RoomName } from "../protocol/index.ts";
import { ClientError, joinRefusal } from "./client-error.ts";

/** Where and as whom to join: a StaffSession or CustomerSession (clients/api.ts) fits. */
export interface ServerAuth {
  readonly endpoint: string;
  readonly token: string;
}

/**
 * `joinOrCreate`, resolved once the first full state arrived, within `timeoutMs`. A join that
 * completes after the deadline is left at once, so an abandoned attempt never holds a seat.
 */
export function joinWithin<R extends RoomName>(sdk: Client, roomName: R, options: JoinOptionsByRoom[R], timeoutMs: number): Promise<Room> {
  return new Promise<Room>((resolve, reject) => {
    let done = false;
    const finish = (settle: () => void) => {
      if (done) return false;
      done = true;
      clearTimeout(timer);
      settle();
      return true;
    };
    const timer = setTimeout(() => finish(() => reject(new ClientError("JOIN_TIMEOUT", `no ${roomName} room with state within ${timeoutMs} ms`))), timeoutMs);
    sdk.joinOrCreate(roomName, { ...options }).then(
      (room) => {
        if (done) return void room.leave(true).catch(() => undefined);
        // A flag, not `once`: the SDK's signal skips the next handler when a once-handler removes itself.
        room.onStateChange(() => void finish(() => resolve(room)));
        room.onLeave((code) => void finish(() => reject(new ClientError("JOIN_FAILED", `${roomName}: left (${code}) before the first state`))));
      },
      (error: unknown) => {
        const refused = joinRefusal(error);
        finish(() => reject(refused.status === undefined ? new ClientError("JOIN_FAILED", refused.message) : refused));
      },
    );
  });
}

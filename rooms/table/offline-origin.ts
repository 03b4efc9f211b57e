import { wireError, type WireError } from "../../protocol/codes.ts";
import { offlineLimits } from "../../protocol/limits.ts";
import type { TableCommand } from "../../protocol/table-commands.ts";
import type { Principal } from "../context.ts";

/** The room a command arrived in. */
export interface RoomOrigin {
  readonly storeId: string;
  readonly tableId: string;
  /** When the table's current session opened ("" when none): a command queued before it was for another party. */
  readonly sessionOpenedAt: string;
}

/**
 * R-OFF-2: a command replayed from a POS's offline queue carries where, by whom and when it was
 * queued. The client library already refuses a foreign replay; this is the server's own check, so
 * a queue copied to another terminal, login, store or table changes nothing (FORBIDDEN). A queue
 * older than offlineLimits.queuedAgeMaxMs needs a person, not a replay; a card payment could
 * never have been queued (it needs the provider and the card present).
 */
export function offlineOriginError(command: TableCommand, sender: Principal, room: RoomOrigin, nowMs: number): WireError | undefined {
  if (command.type !== "confirm" && command.type !== "payment.start") return undefined;
  const origin = command.offline;
  if (origin === undefined) return undefined;
  const mismatch = (["staffId", "storeId", "tableId"] as const).find((field) => origin[field] !== (field === "staffId" ? sender.staffId : room[field]));
  if (mismatch !== undefined) {
    const actual = mismatch === "staffId" ? sender.staffId : room[mismatch];
    return wireError("FORBIDDEN", `this command was queued offline for ${mismatch} ${origin[mismatch]}, not ${actual}`, { rule: "offline_origin", field: mismatch, queued: origin[mismatch], actual });
  }
  const queuedAtMs = Date.parse(origin.queuedAt);
  const ageMs = nowMs - queuedAtMs;
  if (ageMs > offlineLimits.queuedAgeMaxMs || -ageMs > offlineLimits.clockAheadMaxMs) {
    return wireError("FORBIDDEN", "this command waited offline too long to be replayed; a person must decide", { rule: "offline_origin", field: "queuedAt", queuedAt: origin.queuedAt, queuedAgeMaxMs: offlineLimits.queuedAgeMaxMs });
  }
  // Queued for the party that sat here before: never onto the next party's bill.
  if (room.sessionOpenedAt !== "" && queuedAtMs < Date.parse(room.sessionOpenedAt)) {
    return wireError("SESSION_CLOSED", "this command was queued for the table's previous guests; their session has ended", { rule: "queued_before_session", queuedAt: origin.queuedAt, openedAt: room.sessionOpenedAt });
  }
  if (command.type === "payment.start" && command.method !== "cash") {
    return wireError("FORBIDDEN", "only a cash payment may be queued offline", { rule: "offline_origin", field: "method", method: command.method });
  }
  if (command.type === "confirm" && command.lines === undefined) {
    return wireError("FORBIDDEN", "an offline confirm carries its own lines (the shared draft is on the server)", { rule: "offline_origin", field: "lines" });
  }
  return undefined;
}

import { amountsOf, isLive, type SessionState } from "../../domain/index.ts";
import type { FloorTableState } from "./floor-state.ts";

/** A table's floor figures from its session state (the same money rules the table room shows). */
export function applySession(view: FloorTableState, session: SessionState): void {
  const live = isLive(session.status);
  const amounts = amountsOf(session);
  view.status = live ? session.status : "none";
  view.sessionId = live ? session.sessionId : "";
  view.guests = live ? session.guests : 0;
  view.openedAt = live ? session.openedAt : "";
  view.lastActivityAt = live ? session.lastActivityAt : "";
  view.batchCount = live ? session.batches.length : 0;
  view.sessionTotalWon = live ? amounts.sessionTotal : 0;
  view.paidWon = live ? amounts.paid : 0;
  view.outstandingWon = live ? amounts.outstanding : 0;
  let remote = 0;
  if (live) for (const item of session.items.values()) if (item.source !== "pos" && (item.state === "waiting" || item.state === "cooking")) remote += 1;
  view.remoteItemsOpen = remote;
  if (!live) view.staffCalledAt = "";
}

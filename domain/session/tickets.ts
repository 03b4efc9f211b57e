import type { ActorRef, SessionState, TicketKind } from "./state.ts";
import type { KitchenTicketCreated, TicketPrintRequested } from "./events.ts";

interface TicketMeta {
  readonly at: string;
  readonly actor: ActorRef;
}

/** A kitchen ticket and its print request travel together (R-ORD-2, R-KRP-3: slipKey is the print idempotency key). */
export function ticketEvents(
  meta: TicketMeta,
  ticketId: string,
  batchId: string,
  batchNo: number,
  stationId: string,
  kind: TicketKind,
  itemIds: readonly string[],
): [KitchenTicketCreated, TicketPrintRequested] {
  const { at, actor } = meta;
  return [
    { type: "KitchenTicketCreated", v: 1, at, actor, ticketId, batchId, batchNo, stationId, kind, itemIds },
    { type: "TicketPrintRequested", v: 1, at, actor, ticketId, stationId, slipKey: `${ticketId}:${kind}` },
  ];
}

/** Delta tickets get ids unique within the stream: the version the delta is decided at. */
export function deltaTicketId(state: SessionState, batchId: string, stationId: string): string {
  return `${batchId}-${stationId}-v${state.version + 1}`;
}

import { signal } from "@preact/signals";
import type { KitchenClient } from "../../../clients/room-client.ts";
import { inFlight, sendKitchen } from "./kitchen-commands.ts";
import { t } from "./texts.ts";

/** Tickets this screen brought back, labelled "리콜됨" until bumped again (Toast's "Recalled"). */
export const recalledIds = signal<ReadonlySet<string>>(new Set());

export function forgetRecalled(ticketId: string): void {
  if (!recalledIds.value.has(ticketId)) return;
  const next = new Set(recalledIds.value);
  next.delete(ticketId);
  recalledIds.value = next;
}

/** Recall: the newest of `state.bumped` (the last ticket bumped at this station) comes back. */
export function RecallButton({ client, bumped }: { client: KitchenClient; bumped: readonly string[] }) {
  const last = bumped[bumped.length - 1];
  async function recall() {
    if (!last) return;
    const data = await sendKitchen(client, "recall", "ticket.recall", { ticketId: last });
    if (data) recalledIds.value = new Set([...recalledIds.value, String(data.ticketId ?? last)]);
  }
  return (
    <button type="button" class="recall" data-action="recall" disabled={!last || inFlight.value.has("recall")} title={t("recallHint")} onClick={recall}>
      ↶ {t("recall")}{bumped.length > 0 && <span class="count"> ({bumped.length})</span>}
    </button>
  );
}

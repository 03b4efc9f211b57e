import { won } from "../shared/i18n.ts";
import { minutesSince, now } from "./clock.ts";
import { Icon } from "./icons.tsx";
import { clockTime } from "./refusals.ts";
import { t } from "./texts.ts";

export function elapsedText(minutes: number): string {
  return minutes < 60 ? t("minutes", { n: minutes }) : t("hoursMinutes", { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** A live session's status in words; anything else is a free table. */
export function statusKey(status: string): "none" | "open" | "in_kitchen" | "paying" | "timed_out" {
  return status === "open" || status === "in_kitchen" || status === "paying" || status === "timed_out" ? status : "none";
}

/**
 * One table on the floor (SCREENS.md §2.1: Toast's guests, time, spend; Odoo's marks): status in
 * words and colour, guests, time since seated, balance, lock holder, print failures, staff calls.
 * `rev` makes the tile re-render on every patch (the state is mutated in place).
 */
export function TableTile({ table, onOpen }: { table: any; rev: number; onOpen: () => void }) {
  const status = statusKey(String(table.status));
  const free = status === "none";
  const at = now.value;
  const lockLive = table.lockHolderName && Date.parse(table.lockExpiresAt) > at;
  const printFailures = Number(table.printFailures ?? 0);
  const remote = Number(table.remoteItemsOpen ?? 0);
  return (
    <button type="button" class={`table-tile status-${status}`} data-table-id={table.tableId} data-status={status} onClick={onOpen}>
      <span class="tile-head">
        <span class="tile-name">{table.name}</span>
        <span class="tile-status">{t(`status_${status}`)}</span>
      </span>
      {!free && (
        <span class="tile-body">
          <span class="tile-facts">
            <span>{t("guests", { n: Number(table.guests) })}</span>
            <span data-elapsed>{elapsedText(minutesSince(table.openedAt, at))}</span>
          </span>
          <span class="tile-balance"><span class="label">{t("balance")}</span> <strong data-balance>{won(Number(table.outstandingWon))}</strong></span>
        </span>
      )}
      <span class="tile-marks">
        {lockLive && <span class="mark lock" data-mark="lock"><Icon name="lock" /> {t("lockedBy", { name: table.lockHolderName, time: clockTime(table.lockExpiresAt) })}</span>}
        {printFailures > 0 && <span class="mark print" data-mark="print-failed"><Icon name="printer" /> {t("printFailedMark", { n: printFailures })}</span>}
        {table.staffCalledAt && !free && <span class="mark call" data-mark="staff-call"><Icon name="bell" /> {t("staffCallMark", { time: clockTime(table.staffCalledAt) })}</span>}
        {remote > 0 && <span class="mark remote" data-mark="remote">{t("remoteOpen", { n: remote })}</span>}
      </span>
    </button>
  );
}

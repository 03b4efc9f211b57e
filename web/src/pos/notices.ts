import type { RoomClient } from "../../../clients/room-client.ts";
import type { RoomName } from "../../../protocol/rooms.ts";
import { toast } from "../shared/toasts.tsx";
import { t } from "./texts.ts";

interface PrintNotice { readonly kind: string; readonly tableId: string | null; readonly printerId: string; readonly message: string }
interface StaffCall { readonly tableId: string; readonly tableName: string; readonly note?: string }

/** Where a failed slip is dealt with (R-UI-4): the admin console's print log. */
export const printLogHref = "/admin#print-log";

/**
 * Print failures and staff calls as toasts (R-UI-4). The floor room and a table room both send
 * them: `wanted` lets the floor skip the table that is open, so each shows once.
 */
export function watchNotices<R extends RoomName>(client: RoomClient<R>, tableName: (tableId: string) => string, wanted: (tableId: string | null) => boolean = () => true): () => void {
  const offNotice = client.onMessage<PrintNotice>("notice", (notice) => {
    if (notice.kind !== "print_failed") return;
    if (!wanted(notice.tableId)) return;
    const table = notice.tableId ? tableName(notice.tableId) : "";
    toast(t("printFailed", { table, printer: notice.printerId }), "error", { label: t("printLog"), href: printLogHref });
  });
  const offCall = client.onMessage<StaffCall>("staffCall", (call) => {
    if (!wanted(call.tableId)) return;
    toast(t("staffCall", { table: call.tableName || tableName(call.tableId), note: call.note ? ` · ${call.note}` : "" }), "warn", undefined, 15_000);
  });
  return () => {
    offNotice();
    offCall();
  };
}

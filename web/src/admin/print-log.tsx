import type { StaffSession } from "../../../clients/api.ts";
import type { AdminClient } from "../../../clients/room-client.ts";
import type { RoomView } from "../shared/use-room.ts";
import { toast } from "../shared/toasts.tsx";
import { inFlight, sendAdmin } from "./admin-commands.ts";
import { PrintJobs } from "./print-jobs.tsx";
import { PrinterList } from "./printer-list.tsx";
import { timeOf } from "./format.ts";
import { t } from "./texts.ts";

/** Print log and printer health (R-KRP-1..3): the admin room's live state. */
export function PrintLog({ session, room }: { session: StaffSession; room: RoomView<"admin">; rev: number }) {
  const { client, state } = room;
  if (!client || !state) return <p>{t("loading")}</p>;
  const failed = [...state.failedSlips.values()].sort((a: any, b: any) => (a.updatedAt < b.updatedAt ? 1 : -1));
  return (
    <>
      <PrinterList client={client} printers={[...state.printers.values()]} />
      <section class="panel" aria-labelledby="failed-title">
        <h2 id="failed-title">{t("failedSlips")}</h2>
        {failed.length === 0 ? <p class="muted" data-empty="failed-slips">{t("noFailedSlips")}</p> : (
          <table class="grid failed-slips">
            <thead><tr><th scope="col">{t("slip")}</th><th scope="col">{t("station")}</th><th scope="col">{t("printer")}</th><th scope="col">{t("attempts")}</th><th scope="col">{t("error")}</th><th scope="col">{t("updatedAt")}</th><th scope="col">{t("actions")}</th></tr></thead>
            <tbody>{failed.map((slip: any) => <FailedSlipRow key={slip.slipKey} client={client} slip={slip} />)}</tbody>
          </table>
        )}
      </section>
      <PrintJobs session={session} live={[...state.jobs]} />
    </>
  );
}

function FailedSlipRow({ client, slip }: { client: AdminClient; slip: any }) {
  const key: string = slip.slipKey;
  const busy = inFlight.value.has(`retry:${key}`) || inFlight.value.has(`reprint:${key}`);
  const retry = async () => {
    if (await sendAdmin(client, `retry:${key}`, "print.retry", { slipKey: key })) toast(t("retryQueued"));
  };
  const reprint = async () => {
    const data = await sendAdmin(client, `reprint:${key}`, "print.reprint", { slipKey: key });
    if (data) toast(t("reprintQueued", { n: String(data.reprintNo) }));
  };
  return (
    <tr data-failed-slip={key}>
      <th scope="row"><code>{slip.ticketId}</code>{slip.reprintNo > 0 && <span class="tag">{t("reprintNo", { n: slip.reprintNo })}</span>}</th>
      <td>{slip.stationId}</td>
      <td>{slip.printerId}</td>
      <td>{slip.attempts}</td>
      <td class="error-text">{slip.lastError}</td>
      <td>{timeOf(slip.updatedAt)}</td>
      <td><div class="row-actions">
        <button type="button" data-action="retry" disabled={busy} aria-label={t("retryLabel", { slip: slip.ticketId })} onClick={retry}>{t("retry")}</button>
        <button type="button" class="primary" data-action="reprint" disabled={busy} aria-label={t("reprintLabel", { slip: slip.ticketId })} onClick={reprint}>{t("reprint")}</button>
      </div></td>
    </tr>
  );
}

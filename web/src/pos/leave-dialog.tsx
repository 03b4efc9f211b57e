import { Dialog } from "./dialog.tsx";
import { t } from "./texts.ts";

/** R-UI-1: leaving a table with unsent lines asks first (the draft is dropped with the last terminal). */
export function LeaveDialog({ count, online, onStay, onSend, onDiscard }: { count: number; online: boolean; onStay: () => void; onSend: () => void; onDiscard: () => void }) {
  return (
    <Dialog title={t("leaveTitle", { n: count })} onClose={onStay} kind="leave">
      <p>{t("leaveBody")}</p>
      <div class="dialog-actions">
        <button type="button" data-action="stay" onClick={onStay}>{t("stay")}</button>
        <button type="button" class="danger" data-action="discard-and-leave" onClick={onDiscard}>{t("discardAndLeave")}</button>
        <button type="button" class="primary" data-action="send-and-leave" onClick={onSend}>{online ? t("sendAndLeave") : t("queueSend", { n: count })}</button>
      </div>
    </Dialog>
  );
}

import { useState } from "preact/hooks";
import type { TableClient } from "../../../clients/room-client.ts";
import { failureText, refusalText } from "./refusals.ts";
import { t } from "./texts.ts";

/** "직원 호출": the staff's terminals get a `staffCall` message; the rate limit's answer is shown in words. */
export function StaffCallButton({ client }: { client: TableClient | null }) {
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<{ ok: boolean; text: string } | null>(null);

  async function call() {
    if (!client) return;
    setBusy(true);
    try {
      const reply = await client.command("staff.call", {});
      setAnswer(reply.ok ? { ok: true, text: t("staffCalled") } : { ok: false, text: refusalText(reply.error) });
    } catch (failure) {
      setAnswer({ ok: false, text: failureText(failure) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="staff-call">
      <button type="button" data-testid="staff-call" disabled={!client || busy} onClick={call}><span aria-hidden="true">🔔 </span>{t("staffCall")}</button>
      {answer && <p class={answer.ok ? "call-answer ok" : "call-answer error"} role={answer.ok ? "status" : "alert"} data-testid="staff-call-answer">{answer.text}</p>}
    </div>
  );
}

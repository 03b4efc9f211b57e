import { formatElapsed, now, urgencyOf } from "./urgency.ts";
import { t } from "./texts.ts";

/** Time since the ticket came in, coloured by urgency, with the urgency in words too. */
export function TicketTimer({ createdAt, urgentAfterMinutes, urgent, done }: { createdAt: string; urgentAfterMinutes: number; urgent: boolean; done: boolean }) {
  const elapsed = now.value - Date.parse(createdAt);
  const level = urgencyOf(elapsed, urgentAfterMinutes, urgent, done);
  return (
    <span class={`timer ${level}`} data-urgency={level} title={t("elapsed")}>
      <span class="visually-hidden">{t("elapsed")} </span>
      <time dateTime={createdAt}>{formatElapsed(elapsed)}</time>
      {level !== "fresh" && <span class="urgency-word">{t(`urgency_${level}`)}</span>}
    </span>
  );
}

import type { QueuedEntry } from "../../../clients/offline-queue.ts";
import { refusalText } from "./refusals.ts";
import { t } from "./texts.ts";
import type { OfflineQueueView } from "./use-offline-queue.ts";

/**
 * R-OFF-2: while the link is down, a red banner says what happens to new orders; the queued
 * commands are listed (also once back, until each is answered), and a refused one waits for a
 * person: discard it or send it again.
 */
export function OfflineBanner({ online, queue, describe }: { online: boolean; queue: OfflineQueueView; describe: (entry: QueuedEntry) => string }) {
  if (online && queue.entries.length === 0) return null;
  return (
    <section class={`banner ${online ? "queue" : "offline"}`} role="status" data-offline-banner={online ? "queue" : "offline"}>
      {!online && <p>{t("offlineBanner")}</p>}
      {queue.entries.length > 0 && (
        <>
          <p data-queued={queue.entries.length}>{t("queued", { n: queue.entries.length })}</p>
          <ol class="queued">
            {queue.entries.map((entry) => (
              <li key={entry.cmdId} data-queued-type={entry.body.type}>
                {describe(entry)}
                {entry.refusal && !entry.refusal.ok && (
                  <span class="queued-refusal" role="alert">
                    {" "}· {refusalText({ code: entry.refusal.error.code, details: entry.refusal.error.details })}
                    <button type="button" data-action="queue-discard" onClick={() => void queue.discard(entry.cmdId)}>{t("queueDiscard")}</button>
                    {online && <button type="button" data-action="queue-retry" onClick={() => void queue.retry()}>{t("queueRetry")}</button>}
                  </span>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

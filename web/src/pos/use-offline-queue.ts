import { signal } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";
import type { StaffSession } from "../../../clients/api.ts";
import type { IndexedDbQueueStore } from "../../../clients/browser/indexeddb-queue-store.ts";
import type { EnqueueInput, OfflineQueue, QueuedEntry } from "../../../clients/offline-queue.ts";
import type { Reply } from "../../../protocol/reply.ts";
import type { TableClient } from "../../../clients/room-client.ts";
import { toast } from "../shared/toasts.tsx";
import { loadOfflineQueue } from "./offline-queue-loader.ts";
import { refusalText } from "./refusals.ts";
import { t } from "./texts.ts";

/** The browser's own view of the network: `offline` fires at once when the device loses it. */
export const browserOnline = signal(typeof navigator === "undefined" ? true : navigator.onLine);
if (typeof window !== "undefined") {
  window.addEventListener("online", () => (browserOnline.value = true));
  window.addEventListener("offline", () => (browserOnline.value = false));
}

export interface OfflineQueueView {
  readonly entries: readonly QueuedEntry[];
  readonly replaying: boolean;
  /** Durable when it resolves true; a refusal is shown in words. */
  enqueue(command: EnqueueInput): Promise<boolean>;
  discard(cmdId: string): Promise<void>;
  retry(): Promise<void>;
}

/** What a queued entry is, in words, for the banner and the replies. */
export function entryWords(entry: QueuedEntry, money: (won: number) => string, time: (iso: string) => string): string {
  const body = entry.body;
  const at = time(body.offline?.queuedAt ?? "");
  if (body.type === "confirm") return t("queuedConfirm", { n: (body.lines ?? []).reduce((sum, l) => sum + l.quantity, 0), time: at });
  return t("queuedCash", { amount: money(body.amount), time: at });
}

/**
 * R-OFF-2: this table's offline queue (clients/offline-queue.ts) in IndexedDB, one per store,
 * table and login. Replayed in order whenever the table room is online again; each reply is shown,
 * and the first refusal stops it for a person to decide (discard or send again).
 */
export function useOfflineQueue(session: StaffSession, tableId: string, client: TableClient | null, online: boolean, describe: (entry: QueuedEntry) => string): OfflineQueueView {
  const [queue, setQueue] = useState<OfflineQueue | null>(null);
  const [entries, setEntries] = useState<readonly QueuedEntry[]>([]);
  const [replaying, setReplaying] = useState(false);
  const running = useRef(false);
  const opening = useRef<Promise<OfflineQueue | null>>(Promise.resolve(null));
  const [attempt, setAttempt] = useState(0);
  const [interrupted, setInterrupted] = useState(false);
  const owner = { storeId: session.storeId, tableId, staffId: session.staffId };

  useEffect(() => {
    let store: IndexedDbQueueStore | undefined;
    let alive = true;
    // The queue's code arrives lazily (offline-queue-loader.ts); enqueue waits for this promise.
    opening.current = loadOfflineQueue()
      .then(async ({ IndexedDbQueueStore, OfflineQueue }) => {
        store = await IndexedDbQueueStore.open(`offline-queue:${owner.storeId}:${tableId}:${owner.staffId}`);
        return OfflineQueue.open(store, owner);
      })
      .then((opened) => {
        if (!alive) return null;
        setQueue(opened);
        setEntries(opened.entries);
        return opened;
      }, (error: unknown) => {
        if (alive) toast(t("queueUnavailable", { why: `(${String(error)})` }), "error");
        // The chunk could not be fetched (offline before it loaded): try again once the network is back.
        if (alive) window.addEventListener("online", () => alive && setAttempt((n) => n + 1), { once: true });
        return null;
      });
    return () => {
      alive = false;
      store?.close();
    };
  }, [tableId, session.staffId, attempt]);

  const send = (body: QueuedEntry["body"]): Promise<Reply> => {
    const { cmdId, type, ...fields } = body;
    return client!.command(type as never, fields as never, { cmdId, ...(body.offline ? { issuedAt: body.offline.queuedAt } : {}) }) as Promise<Reply>;
  };
  const onReply = (entry: QueuedEntry, reply: Reply) => {
    if (reply.ok) toast(t("queuedOk", { what: describe(entry) }));
    else toast(t("queuedRefused", { why: refusalText({ code: reply.error.code, details: reply.error.details }) }), "error");
  };
  const replay = async (how: "replay" | "retry") => {
    if (!queue || !client || running.current) return;
    running.current = true;
    setReplaying(true);
    try {
      const result = await (how === "retry" ? queue.retry(owner, send, onReply) : queue.replay(owner, send, onReply));
      setInterrupted(result.status === "interrupted");
    } catch (error) {
      setInterrupted(true);
      throw error;
    } finally {
      running.current = false;
      setReplaying(false);
      setEntries(queue.entries);
    }
  };

  // entries.length: an entry saved just after the link came back is sent too, not left waiting.
  useEffect(() => {
    if (online && queue && queue.length > 0 && !queue.held) void replay("replay");
  }, [online, queue, client, entries.length]);
  // A replay cut short by a passing server state (BUSY, INTERNAL, COMMAND_TIMEOUT) goes on by itself.
  useEffect(() => {
    if (!online || !interrupted) return;
    const timer = setInterval(() => {
      if (queue && queue.length > 0 && !queue.held) void replay("replay");
      else setInterrupted(false);
    }, 3_000);
    return () => clearInterval(timer);
  }, [online, interrupted, queue, client]);

  return {
    entries,
    replaying,
    async enqueue(command) {
      // Right after the table opened the queue may still be loading: wait for it rather than refuse.
      const ready = queue ?? (await opening.current);
      if (!ready) {
        toast(t("queueUnavailable", { why: "" }), "error");
        return false;
      }
      const result = await ready.enqueue(command);
      setEntries(ready.entries);
      if (!result.ok) toast(result.error.code === "NOT_QUEUEABLE" ? t("notQueueable") : result.error.message, "error");
      return result.ok;
    },
    async discard(cmdId) {
      if (!queue) return;
      await queue.discard(cmdId);
      setEntries(queue.entries);
      if (online && queue.length > 0) void replay("replay");
    },
    retry: () => replay("retry"),
  };
}

/**
 * The offline queue's code (clients/offline-queue.ts and its IndexedDB store) checks every entry
 * with the protocol's zod schemas, most of the POS's own bytes. It is loaded on its own chunk right
 * after the first screen is drawn (app.tsx), not on the first load: early, so the chunk is in memory
 * before the link can drop (a chunk cannot be fetched offline), and a table waits for it before it
 * reads or writes its queue.
 */
type QueueModules = {
  readonly OfflineQueue: typeof import("../../../clients/offline-queue.ts").OfflineQueue;
  readonly IndexedDbQueueStore: typeof import("../../../clients/browser/indexeddb-queue-store.ts").IndexedDbQueueStore;
};

let loading: Promise<QueueModules> | null = null;

/** The queue's modules, fetched once; a failed fetch (offline before it finished) is tried again on the next call. */
export function loadOfflineQueue(): Promise<QueueModules> {
  if (loading) return loading;
  const started = Promise.all([import("../../../clients/offline-queue.ts"), import("../../../clients/browser/indexeddb-queue-store.ts")])
    .then(([queue, store]) => ({ OfflineQueue: queue.OfflineQueue, IndexedDbQueueStore: store.IndexedDbQueueStore }));
  loading = started;
  started.catch(() => {
    if (loading === started) loading = null;
  });
  return started;
}

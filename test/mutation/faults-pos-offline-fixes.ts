import type { Fault } from "./faults.ts";

/** The three offline fixes of the POS page (review of R-OFF-2): each fault undoes one. */
const offlinePage = [["test/browser", "^pos-offline\\.test\\.ts$"]] as const;

export const faults: readonly Fault[] = [
  {
    id: "pos-offline-lines-hidden-online",
    rule: "lines tapped offline stay shown (and sendable) after the link comes back",
    file: "web/src/pos/table-screen.tsx",
    find: "{(!online || offlineLines.length > 0) && <DraftPanel lines={offlineLines}",
    replace: "{!online && <DraftPanel lines={offlineLines}",
    tests: offlinePage,
  },
  {
    id: "pos-queue-not-replayed-after-enqueue",
    rule: "an entry saved to the queue while online is replayed at once",
    file: "web/src/pos/use-offline-queue.ts",
    find: "}, [online, queue, client, entries.length]);",
    replace: "}, [online, queue, client]);",
    tests: offlinePage,
  },
  {
    id: "pos-queued-share-still-open",
    rule: "a share queued offline reads as taken, so it cannot be queued twice",
    file: "web/src/pos/payment-panel.tsx",
    find: "const isTaken = (label: string) => isPaidShare(s, label) || queuedPayments.some((p) => p.label === label);",
    replace: "const isTaken = (label: string) => isPaidShare(s, label);",
    tests: offlinePage,
  },
];

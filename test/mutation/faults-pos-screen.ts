import type { Fault } from "./faults.ts";

/**
 * The POS page (issue 14 item 1). The browser tests rebuild web/dist when a source is newer than
 * the build (test/support/browser.ts buildWebIfStale; a mutation run's copy has no web/dist at
 * all), so the faulty page is the one served.
 */
const posPage = [["test/browser", "^pos\\.test\\.ts$"]] as const;
const paymentPage = [["test/browser", "^pos-payment\\.test\\.ts$"]] as const;
const offlinePage = [["test/browser", "^pos-offline\\.test\\.ts$"]] as const;
const discountPage = [["test/browser", "^pos-discount\\.test\\.ts$"]] as const;

export const faults: readonly Fault[] = [
  {
    id: "pos-draft-banner-hidden",
    rule: "R-UI-1: an unsent draft shows the banner 'not sent to the kitchen yet' with its count",
    file: "web/src/pos/draft-panel.tsx",
    find: `{offline ? t("offlineDraft", { n: count }) : t("draftBanner", { n: count })}`,
    replace: `{offline ? t("offlineDraft", { n: count }) : ""}`,
    tests: posPage,
  },
  {
    id: "pos-draft-counts-lines",
    rule: "the unsent counter counts items (quantities), not lines",
    file: "web/src/pos/draft-panel.tsx",
    find: `const count = unitCount(lines);`,
    replace: `const count = lines.length;`,
    tests: posPage,
  },
  {
    id: "pos-qr-badge-as-pos",
    rule: "R-UI-2: a QR order carries the QR badge",
    file: "web/src/pos/source-badge.tsx",
    find: `(source === "qr" || source === "app" ? source : "pos")`,
    replace: `("pos" as const)`,
    tests: posPage,
  },
  {
    id: "pos-edit-not-stale",
    rule: "R-CON-2: a cancel or quantity change carries the version the person decided on, so a change meanwhile conflicts",
    file: "web/src/pos/item-edit-dialog.tsx",
    find: `reason: reason.trim(), ...decided };`,
    replace: `reason: reason.trim(), expectedVersion: Number(ctx.state.version) };`,
    tests: posPage,
  },
  {
    id: "pos-locked-without-holder",
    rule: "R-CON-1: a LOCKED refusal names who holds the table and until when",
    file: "web/src/pos/refusals.ts",
    find: `if (code === "LOCKED" && typeof d.holderName === "string") {`,
    replace: `if (code === "LOCKED" && typeof d.holderName === "number") {`,
    tests: posPage,
  },
  {
    id: "pos-split-whole-amount",
    rule: "R-UI-3: each share of an equal split pays its share, not the whole balance",
    file: "web/src/pos/payment-panel.tsx",
    find: `(share === null || isTaken(\`\${share + 1}/\${ways}\`) ? 0 : shares[share] ?? 0)`,
    replace: `(share === null || isTaken(\`\${share + 1}/\${ways}\`) ? 0 : Number(s.sessionTotalWon))`,
    tests: paymentPage,
  },
  {
    id: "pos-pay-without-lock",
    rule: "R-CON-1: opening the payment panel takes the table's edit lock",
    file: "web/src/pos/table-screen.tsx",
    find: `if (next === "pay" && online && !mine && seated) await ctx.run("lock.take", { reason: "payment" });`,
    replace: ``,
    tests: paymentPage,
  },
  {
    id: "pos-print-failure-silent",
    rule: "R-UI-4: a slip that failed to print shows a toast with a jump to the print log",
    file: "web/src/pos/notices.ts",
    find: `if (notice.kind !== "print_failed") return;`,
    replace: `return;`,
    tests: paymentPage,
  },
  {
    id: "pos-offline-queue-skipped",
    rule: "R-OFF-2: while offline an order goes into the durable queue, not to a connection that is not there",
    file: "web/src/pos/table-screen.tsx",
    find: `    if (!online) {\n      const same = plain`,
    replace: `    if (false) {\n      const same = plain`,
    tests: offlinePage,
  },
  {
    id: "pos-offline-never-replayed",
    rule: "R-OFF-2: the queue is replayed when the link is back",
    file: "web/src/pos/use-offline-queue.ts",
    find: `if (online && queue && queue.length > 0 && !queue.held) void replay("replay");`,
    replace: `if (online && queue && queue.length > 0 && queue.held) void replay("replay");`,
    tests: offlinePage,
  },
  {
    id: "pos-offline-refusal-hidden",
    rule: "R-OFF-2: a queued command refused at replay is shown in words with discard / send again",
    file: "web/src/pos/offline-banner.tsx",
    find: `{entry.refusal && !entry.refusal.ok && (`,
    replace: `{false && entry.refusal && !entry.refusal.ok && (`,
    tests: offlinePage,
  },
  {
    id: "pos-approver-pin-not-sent",
    rule: "PAYMENTS.md §2: an adjustment above the threshold is sent again with the second person's id and PIN (approver)",
    file: "web/src/pos/adjustment-dialog.tsx",
    find: `...(approver ? { approver } : {})`,
    replace: `...{}`,
    tests: discountPage,
  },
  {
    id: "pos-offline-queue-eager",
    rule: "the offline queue's code (zod) stays off the POS's first load",
    file: "web/src/pos/offline-queue-loader.ts",
    find: `type QueueModules = {`,
    replace: `import "../../../clients/offline-queue.ts";\ntype QueueModules = {`,
    tests: offlinePage,
  },
];

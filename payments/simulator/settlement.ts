import { randomInt } from "node:crypto";
import { localDate, localTimestamp } from "../time-zone.ts";
import type { Fault } from "./faults.ts";
import type { Ledger } from "./ledger.ts";

export interface SettlementLineView {
  orderId: string;
  kind: "approval" | "cancel";
  /** Always positive; `kind` says which way the money went. */
  amount: number;
  approvalNo: string;
  /** tid of the approval, or of the cancel / net cancel. */
  transactionId: string;
  at: string;
  /** Only on cancel lines: our cancelId, or null for a 망취소. */
  cancelId?: string | null;
}

/**
 * The file a VAN would send for one business date: approvals and cancels whose local date (in the
 * simulator's zone) is `date`. A net cancel shows as a cancel line of what it voided, so a voided
 * approval nets to zero instead of vanishing.
 */
export function settlementLines(ledger: Ledger, date: string, timeZone: string): SettlementLineView[] {
  const lines: SettlementLineView[] = [];
  const approvalNoOf = (orderId: string) => ledger.orders.get(orderId)?.approval?.approvalNo ?? "";
  for (const e of ledger.entries) {
    if (localDate(new Date(e.at), timeZone) !== date) continue;
    if (e.type === "approval") lines.push({ orderId: e.orderId, kind: "approval", amount: e.amount, approvalNo: e.approvalNo, transactionId: e.tid, at: e.at });
    else if (e.type === "cancel") lines.push({ orderId: e.orderId, kind: "cancel", amount: e.amount, approvalNo: approvalNoOf(e.orderId), transactionId: e.cancelTid, at: e.at, cancelId: e.cancelId });
    else if (e.type === "net_cancel" && e.voidedAmount > 0) {
      lines.push({ orderId: e.orderId, kind: "cancel", amount: e.voidedAmount, approvalNo: approvalNoOf(e.orderId), transactionId: e.netCancelTid, at: e.at, cancelId: null });
    }
  }
  return lines;
}

/** How a `settlementMismatch` fault spoils the file (the ledger itself stays right). */
export function spoil(lines: SettlementLineView[], fault: Extract<Fault, { kind: "settlementMismatch" }>, timeZone: string): SettlementLineView[] {
  const index = Math.max(0, fault.orderId === undefined ? lines.findIndex((l) => l.kind === "approval") : lines.findIndex((l) => l.orderId === fault.orderId));
  switch (fault.change) {
    case "alteredAmount":
      return lines.map((l, i) => (i === index ? { ...l, amount: l.amount + 1_000 } : l));
    case "missingLine":
      return lines.filter((_, i) => i !== index);
    case "extraApproval": {
      const approvalNo = String(randomInt(0, 100_000_000)).padStart(8, "0");
      const orderId = `VAN-ONLY-${approvalNo}`; // an approval the POS never asked for
      const offset = localTimestamp(new Date(`${fault.date}T12:00:00Z`), timeZone).slice(19);
      return [...lines, { orderId, kind: "approval", amount: 15_000, approvalNo, transactionId: `X${approvalNo}`, at: `${fault.date}T12:00:00${offset}` }];
    }
  }
}

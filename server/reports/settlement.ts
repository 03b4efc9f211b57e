import type { SessionEvent } from "../../domain/index.ts";
import type { SettlementLine } from "../../payments/provider.ts";

/** Zone the VAN/PG cuts its settlement files by (Korean providers: KST). */
export const settlementTimeZone = "Asia/Seoul";

/** One approval or cancel as our journal holds it. */
export interface OurLine {
  readonly kind: "approval" | "cancel";
  /** Our payment id = the provider's order id. */
  readonly orderId: string;
  readonly sessionId: string;
  readonly tableId: string;
  /** Set on cancels: our refund id. */
  readonly refundId: string | null;
  readonly amount: number;
  readonly approvalNo: string;
  /** The approval's tid, or the cancel's (null when the cancel was confirmed by query only). */
  readonly transactionId: string | null;
  readonly at: string;
}

export type DifferenceKind =
  | "missing_here" | "missing_at_provider" | "amount_mismatch" | "approval_no_mismatch"
  | "cancel_missing_here" | "cancel_missing_at_provider" | "cancel_amount_mismatch";

export interface SettlementDifference {
  readonly kind: DifferenceKind;
  readonly orderId: string;
  readonly provider: SettlementLine | null;
  readonly ours: OurLine | null;
  /** On `missing_here`: what our journal holds for that order id (another date, void, pending, nothing). */
  readonly note?: string;
}

export interface SideTotals {
  readonly approvals: { readonly count: number; readonly won: number };
  readonly cancels: { readonly count: number; readonly won: number };
}

/** Our approvals and cancels of one provider, from journals, each with the instant it happened. */
export function ourLinesOf(sessionId: string, events: readonly SessionEvent[], providerName: string): OurLine[] {
  const lines: OurLine[] = [];
  const approvals = new Map<string, { approvalNo: string; provider: string }>();
  let tableId = "";
  for (const e of events) {
    if (e.type === "SessionOpened") tableId = e.tableId;
    if (e.type === "PaymentApproved" && e.provider) {
      approvals.set(e.paymentId, { approvalNo: e.provider.approvalNo, provider: e.provider.provider });
      if (e.provider.provider === providerName) {
        lines.push({ kind: "approval", orderId: e.paymentId, sessionId, tableId, refundId: null, amount: e.amount, approvalNo: e.provider.approvalNo, transactionId: e.provider.transactionId, at: e.provider.approvedAt });
      }
    }
    if (e.type === "RefundCompleted") {
      const approval = approvals.get(e.paymentId);
      if (approval?.provider !== providerName) continue;
      lines.push({ kind: "cancel", orderId: e.paymentId, sessionId, tableId, refundId: e.refundId, amount: e.amount, approvalNo: approval.approvalNo, transactionId: e.cancelTransactionId, at: e.at });
    }
  }
  return lines;
}

/** What our journal says about an order id the date's lines lack. */
export interface OrderStatus {
  readonly status: string;
  readonly approvedAt: string | null;
}

/**
 * Every difference between the provider's file for a date and our lines for the same date
 * (PAYMENTS-KR.md §5 mismatches 1, 2, 3, 6). Approvals pair by order id; cancels by the cancel's
 * tid, else by order id and amount. An approval the provider cancelled in full (a 망취소) while our
 * payment never became a charge (void, or unknown here) nets to nothing and is not a difference.
 * `statusOf` looks an order id up in our journal (any date) to say why it is missing here.
 */
export function compareSettlement(providerLines: readonly SettlementLine[], ours: readonly OurLine[], statusOf: (orderId: string) => OrderStatus | undefined): SettlementDifference[] {
  const differences: SettlementDifference[] = [];
  const ourApprovals = new Map(ours.filter((l) => l.kind === "approval").map((l) => [l.orderId, l]));
  const theirCancels = providerLines.filter((l) => l.kind === "cancel");
  const usedCancels = new Set<SettlementLine>();
  for (const line of providerLines.filter((l) => l.kind === "approval")) {
    const mine = ourApprovals.get(line.orderId);
    ourApprovals.delete(line.orderId);
    if (mine !== undefined) {
      if (mine.amount !== line.amount) differences.push({ kind: "amount_mismatch", orderId: line.orderId, provider: line, ours: mine });
      else if (mine.approvalNo !== line.approvalNo) differences.push({ kind: "approval_no_mismatch", orderId: line.orderId, provider: line, ours: mine });
      continue;
    }
    const known = statusOf(line.orderId);
    const voidedAtProvider = theirCancels.filter((c) => c.orderId === line.orderId && !usedCancels.has(c));
    if ((known === undefined || known.status === "void") && voidedAtProvider.reduce((s, c) => s + c.amount, 0) === line.amount) {
      voidedAtProvider.forEach((c) => usedCancels.add(c));
      continue;
    }
    differences.push({ kind: "missing_here", orderId: line.orderId, provider: line, ours: null, note: noteOf(known) });
  }
  for (const mine of ourApprovals.values()) differences.push({ kind: "missing_at_provider", orderId: mine.orderId, provider: null, ours: mine });
  differences.push(...compareCancels(theirCancels.filter((c) => !usedCancels.has(c)), ours.filter((l) => l.kind === "cancel")));
  return differences;
}

function noteOf(known: OrderStatus | undefined): string {
  if (known === undefined) return "no payment with this order id here";
  if (known.approvedAt !== null) return `${known.status} here, approved at ${known.approvedAt} (another date)`;
  return `${known.status} here: no approval recorded`;
}

function compareCancels(theirs: readonly SettlementLine[], ours: readonly OurLine[]): SettlementDifference[] {
  const differences: SettlementDifference[] = [];
  const open = new Set(theirs);
  const take = (match: (l: SettlementLine) => boolean) => {
    const found = [...open].find(match);
    if (found) open.delete(found);
    return found;
  };
  for (const mine of ours) {
    const line = (mine.transactionId !== null ? take((l) => l.transactionId === mine.transactionId) : undefined)
      ?? take((l) => l.orderId === mine.orderId && l.amount === mine.amount);
    if (!line) differences.push({ kind: "cancel_missing_at_provider", orderId: mine.orderId, provider: null, ours: mine });
    else if (line.amount !== mine.amount) differences.push({ kind: "cancel_amount_mismatch", orderId: mine.orderId, provider: line, ours: mine });
  }
  for (const line of open) differences.push({ kind: "cancel_missing_here", orderId: line.orderId, provider: line, ours: null });
  return differences;
}

export function totalsOf(lines: readonly { kind: "approval" | "cancel"; amount: number }[]): SideTotals {
  const sum = (kind: "approval" | "cancel") => {
    const of = lines.filter((l) => l.kind === kind);
    return { count: of.length, won: of.reduce((s, l) => s + l.amount, 0) };
  };
  return { approvals: sum("approval"), cancels: sum("cancel") };
}

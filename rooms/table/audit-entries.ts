import { amountsOf, assertNever, type SessionCommand, type SessionEvent, type SessionState } from "../../domain/index.ts";
import type { AuditEntry } from "../../storage/index.ts";

type AuditBody = Pick<AuditEntry, "action" | "entityType" | "entityId" | "before" | "after" | "reason">;

/** What each accepted command leaves in the audit log: who is added by the caller (R-VAL-3). */
export function auditFor(command: SessionCommand, before: SessionState, after: SessionState, events: readonly SessionEvent[]): AuditBody[] {
  switch (command.type) {
    case "OpenSession":
      return [{ action: "session.open", entityType: "session", entityId: after.sessionId, before: null, after: { status: after.status, guests: after.guests }, reason: null }];
    case "ConfirmDraft": {
      const batch = after.batches.find((b) => b.batchId === command.batchId);
      const items = [...after.items.values()].filter((i) => i.batchId === command.batchId).map((i) => ({ itemId: i.itemId, menuId: i.menuId, quantity: i.quantity, lineTotal: i.lineTotal }));
      return [{ action: "batch.confirm", entityType: "batch", entityId: command.batchId, before: { sessionTotal: before.total }, after: { batchNo: batch?.batchNo, total: batch?.total, items, sessionTotal: after.total }, reason: null }];
    }
    case "CancelItem":
    case "ChangeItemQuantity": {
      if (events.length === 0) return [];
      const old = before.items.get(command.itemId);
      const replacement = command.type === "ChangeItemQuantity" ? after.items.get(command.newItemId) : undefined;
      return [{
        action: command.type === "CancelItem" ? "item.cancel" : "item.change_quantity",
        entityType: "item",
        entityId: command.itemId,
        before: old ? { state: old.state, quantity: old.quantity, lineTotal: old.lineTotal } : null,
        after: { state: "cancelled", replacement: replacement ? { itemId: replacement.itemId, quantity: replacement.quantity, lineTotal: replacement.lineTotal } : null, sessionTotal: after.total },
        reason: command.type === "CancelItem" && command.reasonCode ? `${command.reasonCode}: ${command.reason}` : command.reason,
      }];
    }
    case "CancelBatch": {
      const cancelled = events.flatMap((e) => (e.type === "ItemCancelled" ? [{ itemId: e.itemId, lineTotal: e.lineTotal, state: before.items.get(e.itemId)?.state }] : []));
      return [{ action: "batch.cancel", entityType: "batch", entityId: command.batchId, before: { items: cancelled, sessionTotal: before.total }, after: { sessionTotal: after.total, reasonCode: command.reasonCode ?? null }, reason: command.reason }];
    }
    case "AdvanceItems": {
      const moved = events.flatMap((e) => ("itemIds" in e && e.type !== "KitchenTicketCreated" ? e.itemIds : []));
      if (moved.length === 0) return [];
      return [{ action: `item.${command.to}`, entityType: "item", entityId: moved.join(","), before: moved.map((id) => ({ itemId: id, state: before.items.get(id)?.state })), after: { state: command.to }, reason: null }];
    }
    case "MarkMissing":
      return [{ action: "item.missing", entityType: "item", entityId: command.itemId, before: null, after: { missing: true }, reason: command.note || null }];
    case "BumpTicket":
    case "RecallTicket":
      if (events.length === 0) return [];
      return [{ action: command.type === "BumpTicket" ? "ticket.bump" : "ticket.recall", entityType: "ticket", entityId: command.ticketId, before: null, after: null, reason: null }];
    case "CloseSession":
      return [{ action: "session.close", entityType: "session", entityId: after.sessionId, before: { status: before.status, total: before.total, outstanding: amountsOf(before).outstanding }, after: { status: after.status, sessionTotal: amountsOf(after).sessionTotal }, reason: command.reason || null }];
    case "ApplyAdjustment": {
      const applied = events.find((e) => e.type === "AdjustmentApplied");
      return [{
        action: "adjustment.apply", entityType: command.scope === "session" ? "session" : command.scope, entityId: command.targetId ?? after.sessionId,
        before: { sessionTotal: amountsOf(before).sessionTotal },
        after: { adjustmentId: command.adjustmentId, kind: command.kind, percent: command.percent ?? null, amount: applied?.type === "AdjustmentApplied" ? applied.amount : null, reasonCode: command.reasonCode, approvedBy: command.approvedBy?.id ?? null, sessionTotal: amountsOf(after).sessionTotal },
        reason: `${command.reasonCode}: ${command.note}`,
      }];
    }
    case "RemoveAdjustment":
      return [{ action: "adjustment.remove", entityType: "adjustment", entityId: command.adjustmentId, before: { amount: before.adjustments.get(command.adjustmentId)?.amount ?? null }, after: { sessionTotal: amountsOf(after).sessionTotal }, reason: command.reason }];
    case "RequestPayment":
    case "RecordPaymentResult": {
      const payment = after.payments.get(command.paymentId);
      return [{
        action: command.type === "RequestPayment" ? "payment.request" : "payment.result", entityType: "payment", entityId: command.paymentId,
        before: { status: before.payments.get(command.paymentId)?.status ?? null, outstanding: amountsOf(before).outstanding },
        after: { status: payment?.status, method: payment?.method, requested: payment?.requested, approved: payment?.approved, change: payment?.change, approvalNo: payment?.provider?.approvalNo ?? null, outstanding: amountsOf(after).outstanding, sessionStatus: after.status },
        reason: command.type === "RecordPaymentResult" && command.result.kind !== "approved" ? (command.result.kind === "declined" ? `${command.result.code}: ${command.result.message}` : command.result.reason) : null,
      }];
    }
    case "RequestRefund":
    case "RecordRefundResult": {
      const refund = after.refunds.get(command.refundId);
      return [{
        action: command.type === "RequestRefund" ? "refund.request" : "refund.result", entityType: "payment", entityId: refund?.paymentId ?? "",
        before: { refundStatus: before.refunds.get(command.refundId)?.status ?? null, paid: amountsOf(before).paid },
        after: { refundId: command.refundId, status: refund?.status, amount: refund?.amount, paid: amountsOf(after).paid, outstanding: amountsOf(after).outstanding },
        reason: refund ? `${refund.reasonCode}: ${refund.reason}` : null,
      }];
    }
    case "ReopenSession":
      return [{ action: "session.reopen", entityType: "session", entityId: after.sessionId, before: { status: before.status }, after: { status: after.status }, reason: command.reason }];
    case "TimeOutSession":
      if (events.length === 0) return [];
      return [{ action: "session.timeout", entityType: "session", entityId: after.sessionId, before: { status: before.status, lastActivityAt: command.lastActivityAt }, after: { status: after.status, outstanding: amountsOf(after).outstanding }, reason: `idle ${command.idleTimeoutSeconds}s` }];
    case "ResumeSession":
      if (events.length === 0) return [];
      return [{ action: "session.resume", entityType: "session", entityId: after.sessionId, before: { status: before.status }, after: { status: after.status, outstanding: amountsOf(after).outstanding }, reason: command.reason || null }];
    default:
      return assertNever(command);
  }
}

/**
 * SPEC's audit list names "conflict resolved": a command sent on an older version that the server
 * merged (domain/session/rebase.ts) leaves a row saying so, in the same commit as its effect.
 */
export function mergeAudit(command: SessionCommand, before: SessionState, events: readonly SessionEvent[]): AuditBody[] {
  const expected = command.expectedVersion;
  if (expected === undefined || expected === before.version || events.length === 0) return [];
  return [{
    action: "conflict.merged", entityType: "session", entityId: before.sessionId,
    before: { expectedVersion: expected }, after: { version: before.version, command: command.type },
    reason: `sent on version ${expected}; nothing changed since touches it`,
  }];
}

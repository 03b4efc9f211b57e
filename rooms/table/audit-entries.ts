import { assertNever, type SessionCommand, type SessionEvent, type SessionState } from "../../domain/index.ts";
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
        reason: command.reason,
      }];
    }
    case "CloseSession":
      return [{ action: "session.close", entityType: "session", entityId: after.sessionId, before: { status: before.status, total: before.total }, after: { status: after.status }, reason: command.reason || null }];
    default:
      return assertNever(command);
  }
}

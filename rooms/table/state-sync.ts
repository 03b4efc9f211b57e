import { amountsOf, batchStatus, batchStatuses, type BatchStatus, type OrderItem, type SessionState, type StockLevel } from "../../domain/index.ts";
import { AdjustmentState, BatchState, ItemState, PaymentState, StockState, type TableState } from "../table-state.ts";

/**
 * Domain items are immutable and evolve keeps unchanged ones by reference, so an item whose object
 * is the one last written needs no work: a confirm touches its new lines, not the whole table.
 */
const written = new WeakMap<ItemState, OrderItem>();

/** Mirrors the confirmed domain state into the synced room state, mutating in place. */
export function syncSession(view: TableState, session: SessionState): void {
  // A session's batches and items are only ever added (a cancel is a state), so rows can be stale
  // only after the table moved to another session: skip the removal scans otherwise.
  const sameSession = view.sessionId === session.sessionId;
  if (!sameSession || view.items.size > session.items.size) {
    for (const key of [...view.items.keys()]) if (!session.items.has(key)) view.items.delete(key);
  }
  if (!sameSession || view.batches.size > session.batches.length) {
    const ids = new Set(session.batches.map((b) => b.batchId));
    for (const key of [...view.batches.keys()]) if (!ids.has(key)) view.batches.delete(key);
  }
  view.sessionId = session.sessionId;
  view.status = session.status;
  view.version = session.version;
  view.guests = session.guests;
  view.openedAt = session.openedAt;
  view.batchCount = session.batches.length;
  view.totalWon = session.total;
  const amounts = amountsOf(session);
  view.sessionTotalWon = amounts.sessionTotal;
  view.paidWon = amounts.paid;
  view.pendingWon = amounts.pending;
  view.outstandingWon = amounts.outstanding;
  syncMoney(view, session);
  // A batch's status follows its items: only batches with a new or changed item need it again.
  const touched = new Set<string>();
  for (const item of session.items.values()) {
    const existing = view.items.get(item.itemId);
    if (existing) {
      if (written.get(existing) === item) continue;
      writeItem(existing, item);
    } else {
      const created = new ItemState({ itemId: item.itemId, menuId: item.menuId, name: item.name, stationId: item.stationId });
      writeItem(created, item);
      view.items.set(item.itemId, created);
    }
    touched.add(item.batchId);
  }
  syncBatches(view, session, touched);
}

function syncBatches(view: TableState, session: SessionState, touched: ReadonlySet<string>): void {
  if (touched.size <= 2) {
    for (const batchId of touched) {
      const batch = session.batches.find((b) => b.batchId === batchId);
      if (batch) syncBatch(view, batch, batchStatus(session, batchId));
    }
    if (view.batches.size === session.batches.length) return;
  }
  // Many batches (a reload, a new view): one walk of the items for all their statuses.
  const statuses = batchStatuses(session);
  for (const batch of session.batches) syncBatch(view, batch, statuses.get(batch.batchId)!);
}

function syncBatch(view: TableState, b: SessionState["batches"][number], status: BatchStatus): void {
  const existing = view.batches.get(b.batchId);
  if (!existing) view.batches.set(b.batchId, new BatchState({ batchId: b.batchId, batchNo: b.batchNo, source: b.source, totalWon: b.total, confirmedAt: b.confirmedAt, status }));
  else if (existing.status !== status) existing.status = status;
}

function syncMoney(view: TableState, session: SessionState): void {
  for (const key of [...view.payments.keys()]) if (!session.payments.has(key)) view.payments.delete(key);
  for (const p of session.payments.values()) {
    const row = view.payments.get(p.paymentId) ?? new PaymentState({ paymentId: p.paymentId, method: p.method, status: p.status });
    row.status = p.status;
    row.requestedWon = p.requested;
    row.approvedWon = p.approved;
    row.refundedWon = p.refunded;
    row.changeWon = p.change;
    row.label = p.label;
    row.cardIssuer = p.provider?.cardIssuer ?? "";
    row.maskedCardNo = p.provider?.maskedCardNo ?? "";
    row.approvalNo = p.provider?.approvalNo ?? "";
    row.installmentMonths = p.installmentMonths;
    if (!view.payments.has(p.paymentId)) view.payments.set(p.paymentId, row);
  }
  for (const key of [...view.adjustments.keys()]) if (!session.adjustments.has(key)) view.adjustments.delete(key);
  for (const a of session.adjustments.values()) {
    if (view.adjustments.has(a.adjustmentId)) continue; // an adjustment never changes; it is added or removed
    view.adjustments.set(a.adjustmentId, new AdjustmentState({
      adjustmentId: a.adjustmentId, kind: a.kind, scope: a.scope, targetId: a.targetId ?? "", percent: a.percent ?? 0, amountWon: a.amount, reasonCode: a.reasonCode, note: a.note,
    }));
  }
}

function writeItem(view: ItemState, item: OrderItem): void {
  written.set(view, item);
  view.batchNo = item.batchNo;
  view.menuId = item.menuId;
  view.name = item.name;
  view.stationId = item.stationId;
  view.quantity = item.quantity;
  view.unitPriceWon = item.unitPrice;
  if (view.optionNames.length !== item.options.length) view.optionNames.splice(0, view.optionNames.length, ...item.options.map((o) => o.name));
  view.note = item.note;
  view.lineTotalWon = item.lineTotal;
  view.source = item.source;
  view.state = item.state;
  view.replacesItemId = item.replacesItemId ?? "";
  view.replacedByItemId = item.replacedByItemId ?? "";
  view.cookStartedAt = item.cookStartedAt ?? "";
  view.cookedAt = item.cookedAt ?? "";
  view.servedAt = item.servedAt ?? "";
  view.missing = item.missingAt !== null;
  view.missingNote = item.missingNote;
}

/** Mirrors the store's runtime stock (86 / countdown) so terminals grey out what cannot be ordered. */
export interface StockMapView {
  stock: { keys(): IterableIterator<string>; delete(key: string): unknown; get(key: string): StockState | undefined; set(key: string, value: StockState): unknown; has(key: string): boolean };
}

export function syncStock(view: StockMapView, levels: ReadonlyMap<string, StockLevel>): void {
  for (const key of [...view.stock.keys()]) if (!levels.has(key)) view.stock.delete(key);
  for (const [menuId, level] of levels) {
    const existing = view.stock.get(menuId) ?? new StockState();
    existing.soldOut = level.soldOut;
    existing.remaining = level.remaining ?? -1;
    if (!view.stock.has(menuId)) view.stock.set(menuId, existing);
  }
}

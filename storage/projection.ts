import { assertNever, type SessionEvent, type SessionStatus, type ConfirmedItem, type OrderSource } from "../domain/index.ts";
import { preparedInsert, type Storage } from "./database.ts";
import type { PrintStore } from "./print-store.ts";

/** The session row after a unit is applied (denormalised for queries; events stay the truth). */
export interface SessionSnapshot {
  readonly status: SessionStatus;
  readonly version: number;
  readonly total: number;
  readonly guests: number;
  readonly openedAt: string;
}

export interface EventContext {
  readonly storeId: string;
  readonly tableId: string;
  readonly sessionId: string;
}

/** A projection that touches no row means the query tables drifted from the journal: fail the unit. */
function expectOne(result: { changes: number }, id: string): void {
  if (result.changes !== 1) throw new Error(`projection expected one row for ${id}, touched ${result.changes}`);
}

/** Turns events into rows of the query tables; compiled once, run as prepared statements. */
export function createProjector(storage: Storage, prints: PrintStore) {
  const insertBatch = preparedInsert(storage, "order_batches", ["batch_id", "session_id", "batch_no", "source", "total_won", "confirmed_at", "confirmed_by", "cmd_id"]);
  const insertItem = preparedInsert(storage, "order_items", [
    "item_id", "batch_id", "session_id", "menu_id", "name", "station_id", "quantity", "unit_price_won",
    "options", "note", "line_total_won", "source", "state", "replaces_item_id", "created_at",
  ]);
  const insertTicket = preparedInsert(storage, "kitchen_tickets", ["ticket_id", "session_id", "store_id", "table_id", "batch_id", "batch_no", "station_id", "kind", "item_ids", "state", "created_at"]);
  const cancelItem = storage.sqlite.prepare(
    storage.kysely
      .updateTable("order_items")
      .set({ state: "cancelled", cancelled_at: null, cancel_reason: null, replaced_by_item_id: null })
      .where("item_id", "=", null)
      .where("state", "!=", "cancelled")
      .compile().sql,
  );
  const setItemTime = (column: string, state: string | null) =>
    storage.sqlite.prepare(`update order_items set ${column} = coalesce(${column}, ?)${state ? ", state = ?" : ""} where item_id = ? and state != 'cancelled'`);
  const startCooking = setItemTime("cook_started_at", "cooking");
  const markCooked = storage.sqlite.prepare("update order_items set cook_started_at = coalesce(cook_started_at, @at), cooked_at = @at, state = 'cooked' where item_id = @id and state != 'cancelled'");
  const markServed = setItemTime("served_at", "served");
  const markMissing = storage.sqlite.prepare("update order_items set missing_at = ?, missing_note = ? where item_id = ?");
  const bumpTicket = storage.sqlite.prepare("update kitchen_tickets set state = ?, bumped_at = ? where ticket_id = ?");
  const sourceOf = storage.sqlite.prepare("select source from order_items where item_id = ?").pluck();
  const insertPayment = preparedInsert(storage, "payments", [
    "payment_id", "session_id", "store_id", "table_id", "method", "requested_won", "status", "label", "installment_months", "requested_at", "requested_by",
  ]);
  const approvePayment = storage.sqlite.prepare(
    `update payments set status = @status, approved_won = @approved_won, change_won = @change_won, provider = @provider, approval_no = @approval_no,
       transaction_id = @transaction_id, card_issuer = @card_issuer, masked_card_no = @masked_card_no, provider_raw = @provider_raw, settled_at = @at
     where payment_id = @payment_id and status = 'pending'`,
  );
  const voidPayment = storage.sqlite.prepare("update payments set status = 'void', void_reason = ?, settled_at = ? where payment_id = ? and status = 'pending'");
  const insertRefund = preparedInsert(storage, "refunds", ["refund_id", "payment_id", "session_id", "store_id", "amount_won", "status", "reason", "reason_code", "requested_at", "requested_by"]);
  const settleRefund = storage.sqlite.prepare(
    "update refunds set status = @status, cancel_transaction_id = @cancel_transaction_id, provider_raw = @provider_raw, failure = @failure, settled_at = @at where refund_id = @refund_id and status = 'pending'",
  );
  const addRefunded = storage.sqlite.prepare(
    "update payments set refunded_won = refunded_won + @amount, status = case when refunded_won + @amount = approved_won then 'refunded' else status end where payment_id = @payment_id",
  );
  const insertAdjustment = preparedInsert(storage, "adjustments", [
    "adjustment_id", "session_id", "store_id", "kind", "scope", "target_id", "percent", "amount_won", "reason_code", "note", "applied_at", "applied_by", "approved_by",
  ]);
  const removeAdjustment = storage.sqlite.prepare("update adjustments set removed_at = ?, removed_reason = ? where adjustment_id = ? and removed_at is null");
  const upsertSession = storage.sqlite.prepare(
    `insert into sessions (session_id, store_id, table_id, status, version, guests, total_won, opened_at, closed_at)
     values (@session_id, @store_id, @table_id, @status, @version, @guests, @total_won, @opened_at, @closed_at)
     on conflict (session_id) do update set status = excluded.status, version = excluded.version,
       guests = excluded.guests, total_won = excluded.total_won,
       closed_at = case when excluded.closed_at is null then null else coalesce(sessions.closed_at, excluded.closed_at) end`,
  );

  function itemRow(item: ConfirmedItem, batchId: string, ctx: EventContext, source: OrderSource, at: string, replaces: string | null) {
    return {
      item_id: item.itemId, batch_id: batchId, session_id: ctx.sessionId, menu_id: item.menuId, name: item.name,
      station_id: item.stationId, quantity: item.quantity, unit_price_won: item.unitPrice, options: JSON.stringify(item.options),
      note: item.note, line_total_won: item.lineTotal, source, state: "waiting", replaces_item_id: replaces, created_at: at,
    };
  }

  return {
    project(event: SessionEvent, ctx: EventContext, cmdId: string, printerOf: (stationId: string) => string | undefined): void {
      switch (event.type) {
        case "BatchConfirmed":
          insertBatch({ batch_id: event.batchId, session_id: ctx.sessionId, batch_no: event.batchNo, source: event.source, total_won: event.total, confirmed_at: event.at, confirmed_by: event.actor.id, cmd_id: cmdId });
          for (const item of event.items) insertItem(itemRow(item, event.batchId, ctx, event.source, event.at, null));
          return;
        case "KitchenTicketCreated":
          insertTicket({ ticket_id: event.ticketId, session_id: ctx.sessionId, store_id: ctx.storeId, table_id: ctx.tableId, batch_id: event.batchId, batch_no: event.batchNo, station_id: event.stationId, kind: event.kind, item_ids: JSON.stringify(event.itemIds), state: "waiting", created_at: event.at });
          return;
        case "ItemCancelled": {
          const changed = cancelItem.run("cancelled", event.at, event.reason, event.replacedByItemId, event.itemId, "cancelled");
          if (changed.changes !== 1) throw new Error(`item ${event.itemId} not cancellable in storage`);
          return;
        }
        case "ItemAdded": {
          const source = (sourceOf.get(event.replacesItemId) as OrderSource | undefined) ?? "pos";
          insertItem(itemRow(event.item, event.batchId, ctx, source, event.at, event.replacesItemId));
          return;
        }
        case "ItemsCookingStarted":
          for (const id of event.itemIds) expectOne(startCooking.run(event.at, "cooking", id), id);
          return;
        case "ItemsCooked":
          for (const id of event.itemIds) expectOne(markCooked.run({ at: event.at, id }), id);
          return;
        case "ItemsServed":
          for (const id of event.itemIds) expectOne(markServed.run(event.at, "served", id), id);
          return;
        case "ItemMarkedMissing":
          expectOne(markMissing.run(event.at, event.note, event.itemId), event.itemId);
          return;
        case "TicketBumped":
          expectOne(bumpTicket.run("bumped", event.at, event.ticketId), event.ticketId);
          return;
        case "TicketRecalled":
          expectOne(bumpTicket.run("waiting", null, event.ticketId), event.ticketId);
          return;
        case "TicketPrintRequested": {
          const printerId = printerOf(event.stationId);
          if (printerId) prints.enqueue({ slipKey: event.slipKey, storeId: ctx.storeId, ticketId: event.ticketId, stationId: event.stationId, printerId, at: event.at });
          return;
        }
        case "AdjustmentApplied":
          insertAdjustment({
            adjustment_id: event.adjustmentId, session_id: ctx.sessionId, store_id: ctx.storeId, kind: event.kind, scope: event.scope, target_id: event.targetId,
            percent: event.percent, amount_won: event.amount, reason_code: event.reasonCode, note: event.note, applied_at: event.at, applied_by: event.actor.id,
            approved_by: event.approvedBy?.id ?? null,
          });
          return;
        case "AdjustmentRemoved":
          expectOne(removeAdjustment.run(event.at, event.reason, event.adjustmentId), event.adjustmentId);
          return;
        case "PaymentRequested":
          insertPayment({
            payment_id: event.paymentId, session_id: ctx.sessionId, store_id: ctx.storeId, table_id: ctx.tableId, method: event.method, requested_won: event.amount,
            status: "pending", label: event.label, installment_months: event.installmentMonths, requested_at: event.at, requested_by: event.actor.id,
          });
          return;
        case "PaymentApproved": {
          const p = event.provider;
          expectOne(approvePayment.run({
            payment_id: event.paymentId, status: event.partial ? "partially_approved" : "approved", approved_won: event.amount, change_won: event.change,
            provider: p?.provider ?? null, approval_no: p?.approvalNo ?? null, transaction_id: p?.transactionId ?? null, card_issuer: p?.cardIssuer ?? null,
            masked_card_no: p?.maskedCardNo ?? null, provider_raw: p ? JSON.stringify(p.raw) : null, at: event.at,
          }), event.paymentId);
          return;
        }
        case "PaymentDeclined":
          expectOne(voidPayment.run(`${event.code}: ${event.message}`, event.at, event.paymentId), event.paymentId);
          return;
        case "PaymentVoided":
          expectOne(voidPayment.run(event.reason, event.at, event.paymentId), event.paymentId);
          return;
        case "RefundRequested":
          insertRefund({
            refund_id: event.refundId, payment_id: event.paymentId, session_id: ctx.sessionId, store_id: ctx.storeId, amount_won: event.amount, status: "pending",
            reason: event.reason, reason_code: event.reasonCode, requested_at: event.at, requested_by: event.actor.id,
          });
          return;
        case "RefundCompleted":
          expectOne(settleRefund.run({ refund_id: event.refundId, status: "completed", cancel_transaction_id: event.cancelTransactionId, provider_raw: event.raw ? JSON.stringify(event.raw) : null, failure: null, at: event.at }), event.refundId);
          expectOne(addRefunded.run({ payment_id: event.paymentId, amount: event.amount }), event.paymentId);
          return;
        case "RefundFailed":
          expectOne(settleRefund.run({ refund_id: event.refundId, status: "failed", cancel_transaction_id: null, provider_raw: null, failure: `${event.code}: ${event.message}`, at: event.at }), event.refundId);
          return;
        case "SessionOpened":
        case "SessionClosed":
        case "SessionReopened":
        case "SessionTimedOut":
        case "SessionResumed":
          return;
        default:
          // A new event type must say what it writes: a compile error here, and the unit fails at run time.
          return assertNever(event);
      }
    },
    saveSession(ctx: EventContext, snapshot: SessionSnapshot, at: string): void {
      // A timed-out session is not closed (R-OFF-1): it keeps its table and its balance.
      const closed = snapshot.status === "closed" || snapshot.status === "cancelled";
      upsertSession.run({
        session_id: ctx.sessionId, store_id: ctx.storeId, table_id: ctx.tableId, status: snapshot.status, version: snapshot.version,
        guests: snapshot.guests, total_won: snapshot.total, opened_at: snapshot.openedAt, closed_at: closed ? at : null,
      });
    },
  };
}

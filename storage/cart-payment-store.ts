import type { Storage } from "./database.ts";
import { chainHash, lastAuditHash, toAuditRow, type AuditEntry } from "./audit.ts";

/** `refund_failed`: the provider definitively refused to cancel a refused order's charge: a person must give it back. */
export type CartPaymentStatus = "pending" | "confirmed" | "failed" | "refunded" | "refund_pending" | "refund_failed";

/** One cart line as the phone sent it to be paid (prices are the server's, never the phone's). */
export interface CartPaymentLine {
  readonly menuId: string;
  readonly quantity: number;
  readonly optionIds: readonly string[];
  readonly note: string;
}

export interface CartPayment {
  readonly paymentId: string;
  readonly storeId: string;
  readonly tableId: string;
  readonly sessionId: string;
  readonly customerId: string;
  readonly cmdScope: string;
  readonly cmdId: string;
  readonly bodyHash: string;
  readonly method: string;
  readonly amount: number;
  readonly lines: readonly CartPaymentLine[];
  readonly status: CartPaymentStatus;
  readonly batchId: string | null;
  /** The provider's approval as recorded (ProviderRecord JSON), once approved. */
  readonly provider: unknown;
  readonly outcomeCode: string | null;
  readonly outcomeMessage: string | null;
  readonly createdAt: string;
}

export type NewCartPayment = Omit<CartPayment, "status" | "batchId" | "provider" | "outcomeCode" | "outcomeMessage">;

export interface CartPaymentOutcome {
  readonly status: Exclude<CartPaymentStatus, "pending">;
  readonly batchId?: string | null;
  readonly provider?: unknown;
  readonly code?: string | null;
  readonly message?: string | null;
  readonly at: string;
  /** Who settled it: the phone's own request, or the reconciler. */
  readonly actorId: string;
  readonly actorRole: string;
}

export type InsertResult = { readonly kind: "inserted" } | { readonly kind: "exists"; readonly existing: CartPayment };

interface Row {
  payment_id: string; store_id: string; table_id: string; session_id: string; customer_id: string; cmd_scope: string; cmd_id: string; body_hash: string;
  method: string; amount_won: number; lines: string; status: CartPaymentStatus; batch_id: string | null; provider: string | null;
  outcome_code: string | null; outcome_message: string | null; created_at: string;
}

const columns = "payment_id, store_id, table_id, session_id, customer_id, cmd_scope, cmd_id, body_hash, method, amount_won, lines, status, batch_id, provider, outcome_code, outcome_message, created_at";

function fromRow(row: Row): CartPayment {
  return {
    paymentId: row.payment_id, storeId: row.store_id, tableId: row.table_id, sessionId: row.session_id, customerId: row.customer_id,
    cmdScope: row.cmd_scope, cmdId: row.cmd_id, bodyHash: row.body_hash, method: row.method, amount: row.amount_won,
    lines: JSON.parse(row.lines) as CartPaymentLine[], status: row.status, batchId: row.batch_id,
    provider: row.provider === null ? null : JSON.parse(row.provider), outcomeCode: row.outcome_code, outcomeMessage: row.outcome_message, createdAt: row.created_at,
  };
}

/**
 * Prepaid QR carts (migration 0010). Each write is its own IMMEDIATE transaction on the main
 * connection with its chained audit row (like the QR secrets): the intent must be durable before
 * the card company is called, and it is not a session event yet.
 */
export function createCartPaymentStore(storage: Storage) {
  const db = storage.sqlite;
  const byId = db.prepare(`select ${columns} from cart_payments where payment_id = ?`);
  const byCommand = db.prepare(`select ${columns} from cart_payments where cmd_scope = ? and cmd_id = ?`);
  const unsettledOfCustomer = db.prepare(
    `select ${columns} from cart_payments where session_id = ? and customer_id = ? and status in ('pending', 'refund_pending') order by created_at desc limit 1`,
  );
  const open = db.prepare(
    `select ${columns} from cart_payments where status in ('pending', 'refund_pending') and created_at <= ? and (created_at, payment_id) > (?, ?)
     order by created_at, payment_id limit ?`,
  );
  const insert = db.prepare(
    `insert into cart_payments (payment_id, store_id, table_id, session_id, customer_id, cmd_scope, cmd_id, body_hash, method, amount_won, lines, status, created_at, updated_at)
     values (@paymentId, @storeId, @tableId, @sessionId, @customerId, @cmdScope, @cmdId, @bodyHash, @method, @amount, @lines, 'pending', @createdAt, @createdAt)`,
  );
  const settle = db.prepare(
    `update cart_payments set status = @status, batch_id = coalesce(@batchId, batch_id), provider = coalesce(@provider, provider),
     outcome_code = @code, outcome_message = @message, updated_at = @at where payment_id = @paymentId and status in ('pending', 'refund_pending')`,
  );
  const insertAudit = db.prepare(
    `insert into audit_log (at, store_id, actor_id, actor_role, action, entity_type, entity_id, session_id, before, after, reason, cmd_id, prev_hash, hash)
     values (@at, @store_id, @actor_id, @actor_role, @action, @entity_type, @entity_id, @session_id, @before, @after, @reason, @cmd_id, @prev_hash, @hash)`,
  );

  function audit(entry: AuditEntry): void {
    const row = toAuditRow(entry);
    const prevHash = lastAuditHash(db);
    insertAudit.run({ ...row, prev_hash: prevHash, hash: chainHash(prevHash, row) });
  }

  const record = db.transaction((intent: NewCartPayment): InsertResult => {
    const existing = byCommand.get(intent.cmdScope, intent.cmdId) as Row | undefined;
    if (existing) return { kind: "exists", existing: fromRow(existing) };
    insert.run({ ...intent, lines: JSON.stringify(intent.lines) });
    audit({
      at: intent.createdAt, storeId: intent.storeId, actorId: intent.customerId, actorRole: "customer", action: "cart.pay.intent", entityType: "cart_payment",
      entityId: intent.paymentId, sessionId: intent.sessionId, before: null, after: { method: intent.method, amount: intent.amount, lines: intent.lines.length }, reason: null, cmdId: intent.cmdId,
    });
    return { kind: "inserted" };
  });

  const finish = db.transaction((paymentId: string, outcome: CartPaymentOutcome): CartPayment | undefined => {
    const before = byId.get(paymentId) as Row | undefined;
    if (!before) return undefined;
    const changed = settle.run({
      paymentId, status: outcome.status, batchId: outcome.batchId ?? null, provider: outcome.provider === undefined ? null : JSON.stringify(outcome.provider),
      code: outcome.code ?? null, message: outcome.message ?? null, at: outcome.at,
    }).changes;
    // Already settled (its own request and the reconciler both finished it): the first word stands.
    if (changed === 0) return fromRow(before);
    audit({
      at: outcome.at, storeId: before.store_id, actorId: outcome.actorId, actorRole: outcome.actorRole, action: `cart.pay.${outcome.status}`, entityType: "cart_payment",
      entityId: paymentId, sessionId: before.session_id, before: { status: before.status }, after: { status: outcome.status, batchId: outcome.batchId ?? before.batch_id, code: outcome.code ?? null },
      reason: outcome.message ?? null, cmdId: before.cmd_id,
    });
    return fromRow(byId.get(paymentId) as Row);
  });

  return {
    /** Durable before it returns; a second attempt under the same command key gets the first back. */
    record: (intent: NewCartPayment): InsertResult => record.immediate(intent),
    /** Moves a pending (or refund-pending) intent to its outcome; a settled one stays as it was. */
    finish: (paymentId: string, outcome: CartPaymentOutcome): CartPayment | undefined => finish.immediate(paymentId, outcome),
    get(paymentId: string): CartPayment | undefined {
      const row = byId.get(paymentId) as Row | undefined;
      return row ? fromRow(row) : undefined;
    },
    byCommand(cmdScope: string, cmdId: string): CartPayment | undefined {
      const row = byCommand.get(cmdScope, cmdId) as Row | undefined;
      return row ? fromRow(row) : undefined;
    },
    /** The phone's charge in this session that is not settled yet, if any. */
    unsettledOf(sessionId: string, customerId: string): CartPayment | undefined {
      const row = unsettledOfCustomer.get(sessionId, customerId) as Row | undefined;
      return row ? fromRow(row) : undefined;
    },
    /** Intents not settled, created at or before `cutoff`, in keyset pages. */
    unsettled(cutoff: string, limit: number, after: { at: string; id: string }): CartPayment[] {
      return (open.all(cutoff, after.at, after.id, limit) as Row[]).map(fromRow);
    },
  };
}

export type CartPaymentStore = ReturnType<typeof createCartPaymentStore>;

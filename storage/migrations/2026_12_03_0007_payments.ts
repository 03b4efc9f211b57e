import { sql, type Kysely } from "kysely";

/**
 * Query tables for money (issue #11): payments with the provider's raw keys beside our ids (R-PAY-3),
 * refunds, adjustments. The journal (session_events) stays the truth; these rows are projected in
 * the same transaction. `payments_pending` finds every intent reconciliation must settle.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("payments")
    .addColumn("payment_id", "text", (c) => c.primaryKey())
    .addColumn("session_id", "text", (c) => c.notNull())
    .addColumn("store_id", "text", (c) => c.notNull())
    .addColumn("table_id", "text", (c) => c.notNull())
    .addColumn("method", "text", (c) => c.notNull())
    .addColumn("requested_won", "integer", (c) => c.notNull())
    .addColumn("approved_won", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("refunded_won", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("change_won", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("installment_months", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("provider", "text")
    .addColumn("approval_no", "text")
    .addColumn("transaction_id", "text")
    .addColumn("card_issuer", "text")
    .addColumn("masked_card_no", "text")
    .addColumn("provider_raw", "text")
    .addColumn("void_reason", "text")
    .addColumn("requested_at", "text", (c) => c.notNull())
    .addColumn("requested_by", "text", (c) => c.notNull())
    .addColumn("settled_at", "text")
    .modifyEnd(sql`strict`)
    .execute();
  await sql`create index payments_pending on payments (status) where status = 'pending'`.execute(db);
  await db.schema.createIndex("payments_store_time").on("payments").columns(["store_id", "requested_at"]).execute();
  await db.schema.createIndex("payments_session").on("payments").column("session_id").execute();

  await db.schema
    .createTable("refunds")
    .addColumn("refund_id", "text", (c) => c.primaryKey())
    .addColumn("payment_id", "text", (c) => c.notNull())
    .addColumn("session_id", "text", (c) => c.notNull())
    .addColumn("store_id", "text", (c) => c.notNull())
    .addColumn("amount_won", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("reason_code", "text", (c) => c.notNull())
    .addColumn("cancel_transaction_id", "text")
    .addColumn("provider_raw", "text")
    .addColumn("failure", "text")
    .addColumn("requested_at", "text", (c) => c.notNull())
    .addColumn("requested_by", "text", (c) => c.notNull())
    .addColumn("settled_at", "text")
    .modifyEnd(sql`strict`)
    .execute();
  await sql`create index refunds_pending on refunds (status) where status = 'pending'`.execute(db);
  await db.schema.createIndex("refunds_store_time").on("refunds").columns(["store_id", "requested_at"]).execute();

  await db.schema
    .createTable("adjustments")
    .addColumn("adjustment_id", "text", (c) => c.primaryKey())
    .addColumn("session_id", "text", (c) => c.notNull())
    .addColumn("store_id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("target_id", "text")
    .addColumn("percent", "integer")
    .addColumn("amount_won", "integer", (c) => c.notNull())
    .addColumn("reason_code", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("applied_at", "text", (c) => c.notNull())
    .addColumn("applied_by", "text", (c) => c.notNull())
    .addColumn("approved_by", "text")
    .addColumn("removed_at", "text")
    .addColumn("removed_reason", "text")
    .modifyEnd(sql`strict`)
    .execute();
  await db.schema.createIndex("adjustments_session").on("adjustments").column("session_id").execute();

  // A printed receipt's content is frozen here: every copy prints exactly what the guest was given.
  await db.schema
    .createTable("receipts")
    .addColumn("receipt_id", "text", (c) => c.primaryKey())
    .addColumn("store_id", "text", (c) => c.notNull())
    .addColumn("session_id", "text", (c) => c.notNull())
    .addColumn("copy_no", "integer", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();
  await db.schema.createIndex("receipts_session").on("receipts").column("session_id").execute();
  await db.schema
    .createTable("cash_receipts")
    .addColumn("cash_receipt_id", "text", (c) => c.primaryKey())
    .addColumn("store_id", "text", (c) => c.notNull())
    .addColumn("session_id", "text", (c) => c.notNull())
    .addColumn("payment_id", "text", (c) => c.notNull())
    .addColumn("amount_won", "integer", (c) => c.notNull())
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("identity_masked", "text", (c) => c.notNull())
    .addColumn("approval_no", "text", (c) => c.notNull())
    .addColumn("provider_raw", "text", (c) => c.notNull())
    .addColumn("issued_at", "text", (c) => c.notNull())
    .addColumn("issued_by", "text", (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();
  await db.schema.createIndex("cash_receipts_session").on("cash_receipts").column("session_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("cash_receipts").execute();
  await db.schema.dropTable("receipts").execute();
  await db.schema.dropTable("adjustments").execute();
  await db.schema.dropTable("refunds").execute();
  await db.schema.dropTable("payments").execute();
}

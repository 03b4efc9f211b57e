import { sql, type Kysely } from "kysely";

/**
 * A phone paying its own cart before it is sent (issue 12, R-TLL-3 prepaid QR). The intent is
 * written here before the card company is called, because nothing of it is in the session yet:
 * the order and its payment enter the session together only once the charge is approved. Until
 * then this row is the only trace of money that may have moved, so reconciliation can finish it
 * after a crash (send the order, or cancel the charge). `(cmd_scope, cmd_id)` makes a phone's
 * retry of the same cmdId find its first attempt instead of charging again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("cart_payments")
    .addColumn("payment_id", "text", (c) => c.primaryKey())
    .addColumn("store_id", "text", (c) => c.notNull())
    .addColumn("table_id", "text", (c) => c.notNull())
    .addColumn("session_id", "text", (c) => c.notNull())
    .addColumn("customer_id", "text", (c) => c.notNull())
    .addColumn("cmd_scope", "text", (c) => c.notNull())
    .addColumn("cmd_id", "text", (c) => c.notNull())
    .addColumn("body_hash", "text", (c) => c.notNull())
    .addColumn("method", "text", (c) => c.notNull())
    .addColumn("amount_won", "integer", (c) => c.notNull().check(sql`amount_won > 0`))
    .addColumn("lines", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('pending', 'confirmed', 'failed', 'refunded', 'refund_pending', 'refund_failed')`))
    .addColumn("batch_id", "text")
    .addColumn("provider", "text")
    .addColumn("outcome_code", "text")
    .addColumn("outcome_message", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();
  await db.schema.createIndex("cart_payments_command").on("cart_payments").columns(["cmd_scope", "cmd_id"]).unique().execute();
  await db.schema.createIndex("cart_payments_customer").on("cart_payments").columns(["session_id", "customer_id"]).execute();
  await sql`create index cart_payments_open on cart_payments (created_at, payment_id) where status in ('pending', 'refund_pending')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("cart_payments").execute();
}

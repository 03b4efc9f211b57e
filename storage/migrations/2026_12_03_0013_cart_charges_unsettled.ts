import { sql, type Kysely } from "kysely";

/**
 * The daily report and close list a store's prepaid QR charges that are not settled
 * (storage/report-reader.ts: where store_id = ? and status in (…) order by created_at): the
 * charges waiting for an answer, being given back, or refused a give-back (a person must return
 * the money). Few rows ever match; without this index each report scanned every cart payment.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists cart_payments_unsettled on cart_payments (store_id, created_at, payment_id)
    where status in ('pending', 'refund_pending', 'refund_failed')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists cart_payments_unsettled`.execute(db);
}

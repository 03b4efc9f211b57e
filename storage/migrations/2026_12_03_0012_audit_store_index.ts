import { sql, type Kysely } from "kysely";

/**
 * The admin console pages a store's audit rows newest first (storage/audit-page.ts: where
 * store_id = ? and seq < ? order by seq desc): without this index a small store's page scanned the
 * whole log, every store's rows included.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists audit_log_store_seq on audit_log (store_id, seq)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists audit_log_store_seq`.execute(db);
}

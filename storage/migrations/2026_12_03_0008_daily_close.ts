import { sql, type Kysely } from "kysely";

/**
 * The daily close (마감, Z report; PAYMENTS-KR.md §5). One row per store and business date, the
 * report frozen as JSON when it was closed: a second close of the same day is refused by the key,
 * and the rows are append-only like the audit log (triggers), so a closed day never changes.
 * `sessions_store_closed` serves the report's "sessions closed within the window" scan.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("daily_closes")
    .addColumn("store_id", "text", (c) => c.notNull())
    .addColumn("business_date", "text", (c) => c.notNull().check(sql`business_date glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`))
    .addColumn("report", "text", (c) => c.notNull().check(sql`json_valid(report)`))
    .addColumn("report_sha256", "text", (c) => c.notNull())
    .addColumn("closed_at", "text", (c) => c.notNull())
    .addColumn("closed_by", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("daily_closes_pk", ["store_id", "business_date"])
    .modifyEnd(sql`strict`)
    .execute();
  await sql`create trigger daily_closes_no_update before update on daily_closes
    begin select raise(abort, 'daily_closes is append-only'); end`.execute(db);
  await sql`create trigger daily_closes_no_delete before delete on daily_closes
    begin select raise(abort, 'daily_closes is append-only'); end`.execute(db);
  await db.schema.createIndex("sessions_store_closed").on("sessions").columns(["store_id", "closed_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("sessions_store_closed").execute();
  await db.schema.dropTable("daily_closes").execute();
}

import { sql, type Kysely } from "kysely";

/**
 * Kitchen printing (R-KRP-1..3): one row per slip (its idempotency key and where it stands) and
 * one row per print attempt, written durably before any byte goes to the printer.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("print_slips")
    .addColumn("slip_key", "text", (c) => c.primaryKey())
    .addColumn("store_id", "text", (c) => c.notNull())
    .addColumn("ticket_id", "text", (c) => c.notNull())
    .addColumn("station_id", "text", (c) => c.notNull())
    .addColumn("printer_id", "text", (c) => c.notNull())
    // Set on a slip moved to a backup printer: its slips say "BACKUP FROM <printer>".
    .addColumn("backup_from", "text")
    // 0 = the original; n = the n-th explicit reprint of reprint_of.
    .addColumn("reprint_no", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("reprint_of", "text")
    .addColumn("state", "text", (c) => c.notNull().check(sql`state in ('pending', 'printed', 'failed')`))
    // 1 once an attempt may have printed: every later copy must carry the REPRINT mark.
    .addColumn("needs_mark", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("payload_hash", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("printed_at", "text")
    .modifyEnd(sql`strict`)
    .execute();
  await db.schema.createIndex("print_slips_queue").on("print_slips").columns(["printer_id", "state", "created_at"]).execute();
  await db.schema.createIndex("print_slips_ticket").on("print_slips").column("ticket_id").execute();

  await db.schema
    .createTable("print_jobs")
    .addColumn("job_id", "text", (c) => c.primaryKey())
    .addColumn("slip_key", "text", (c) => c.notNull().references("print_slips.slip_key"))
    .addColumn("store_id", "text", (c) => c.notNull())
    .addColumn("printer_id", "text", (c) => c.notNull())
    .addColumn("attempt", "integer", (c) => c.notNull())
    .addColumn("marked", "integer", (c) => c.notNull())
    .addColumn("payload_hash", "text", (c) => c.notNull())
    // sending → confirmed | not_sent | unknown; a crash leaves "sending", which start-up turns into unknown.
    .addColumn("state", "text", (c) => c.notNull().check(sql`state in ('sending', 'confirmed', 'not_sent', 'unknown')`))
    .addColumn("error", "text")
    .addColumn("requested_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .modifyEnd(sql`strict`)
    .execute();
  await db.schema.createIndex("print_jobs_slip").on("print_jobs").column("slip_key").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("print_jobs").execute();
  await db.schema.dropTable("print_slips").execute();
}

import { sql, type Kysely } from "kysely";

/**
 * The foundation tables. Frozen in time: later changes go in new migration files.
 * STRICT tables keep a REAL from ever landing in a won column.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("sessions")
    .addColumn("session_id", "text", (c) => c.primaryKey())
    .addColumn("store_id", "text", (c) => c.notNull())
    .addColumn("table_id", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("guests", "integer", (c) => c.notNull())
    .addColumn("total_won", "integer", (c) => c.notNull())
    .addColumn("opened_at", "text", (c) => c.notNull())
    .addColumn("closed_at", "text")
    .modifyEnd(sql`strict`)
    .execute();
  // The database itself refuses a second live session on one table.
  await sql`create unique index sessions_one_live_per_table on sessions (store_id, table_id)
    where status in ('open', 'in_kitchen', 'paying')`.execute(db);

  await db.schema
    .createTable("session_events")
    .addColumn("session_id", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("v", "integer", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("cmd_id", "text", (c) => c.notNull())
    // (session_id, seq) stops a second writer at the same version (R-CON-2).
    .addPrimaryKeyConstraint("session_events_pk", ["session_id", "seq"])
    .modifyEnd(sql`strict, without rowid`)
    .execute();

  await db.schema
    .createTable("order_batches")
    .addColumn("batch_id", "text", (c) => c.primaryKey())
    .addColumn("session_id", "text", (c) => c.notNull().references("sessions.session_id"))
    .addColumn("batch_no", "integer", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("total_won", "integer", (c) => c.notNull().check(sql`total_won >= 0`))
    .addColumn("confirmed_at", "text", (c) => c.notNull())
    .addColumn("confirmed_by", "text", (c) => c.notNull())
    .addColumn("cmd_id", "text", (c) => c.notNull())
    .addUniqueConstraint("order_batches_no", ["session_id", "batch_no"])
    .modifyEnd(sql`strict`)
    .execute();

  await db.schema
    .createTable("order_items")
    .addColumn("item_id", "text", (c) => c.primaryKey())
    .addColumn("batch_id", "text", (c) => c.notNull().references("order_batches.batch_id"))
    .addColumn("session_id", "text", (c) => c.notNull())
    .addColumn("menu_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("station_id", "text", (c) => c.notNull())
    .addColumn("quantity", "integer", (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn("unit_price_won", "integer", (c) => c.notNull())
    .addColumn("options", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("line_total_won", "integer", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("replaces_item_id", "text")
    .addColumn("replaced_by_item_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("cancelled_at", "text")
    .addColumn("cancel_reason", "text")
    .modifyEnd(sql`strict`)
    .execute();
  await db.schema.createIndex("order_items_session").on("order_items").column("session_id").execute();

  await db.schema
    .createTable("kitchen_tickets")
    .addColumn("ticket_id", "text", (c) => c.primaryKey())
    .addColumn("session_id", "text", (c) => c.notNull())
    .addColumn("store_id", "text", (c) => c.notNull())
    .addColumn("table_id", "text", (c) => c.notNull())
    .addColumn("batch_id", "text", (c) => c.notNull().references("order_batches.batch_id"))
    .addColumn("batch_no", "integer", (c) => c.notNull())
    .addColumn("station_id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("item_ids", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();

  await db.schema
    .createTable("outbox")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("event_id", "text", (c) => c.notNull().unique())
    .addColumn("store_id", "text", (c) => c.notNull())
    .addColumn("session_id", "text", (c) => c.notNull())
    .addColumn("topic", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();
  // One cursor per subscriber: "delivered" = id <= last_id, so delivery stays in order.
  await db.schema
    .createTable("outbox_cursors")
    .addColumn("subscriber", "text", (c) => c.primaryKey())
    .addColumn("last_id", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("store_id", "text", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("actor_role", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity_type", "text", (c) => c.notNull())
    .addColumn("entity_id", "text", (c) => c.notNull())
    .addColumn("session_id", "text")
    .addColumn("before", "text")
    .addColumn("after", "text")
    .addColumn("reason", "text")
    .addColumn("cmd_id", "text")
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .modifyEnd(sql`strict`)
    .execute();
  // Append-only, enforced by the database, not by our good manners.
  await sql`create trigger audit_log_no_update before update on audit_log
    begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  await sql`create trigger audit_log_no_delete before delete on audit_log
    begin select raise(abort, 'audit_log is append-only'); end`.execute(db);

  await db.schema
    .createTable("processed_commands")
    .addColumn("cmd_id", "text", (c) => c.primaryKey())
    .addColumn("store_id", "text", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("command_type", "text", (c) => c.notNull())
    .addColumn("body_hash", "text", (c) => c.notNull())
    .addColumn("reply", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .modifyEnd(sql`strict, without rowid`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["processed_commands", "audit_log", "outbox_cursors", "outbox", "kitchen_tickets", "order_items", "order_batches", "session_events", "sessions"]) {
    await db.schema.dropTable(table).execute();
  }
}

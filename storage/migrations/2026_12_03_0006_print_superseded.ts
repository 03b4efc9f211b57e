import { sql, type Kysely } from "kysely";

/**
 * Print dedupe by content (docs/PRINTING.md §5): a slip whose content another copy of the same
 * ticket printed becomes `superseded` (it leaves the admins' failed list and cannot be retried into
 * a second unmarked copy), with `superseded_by` naming that copy. SQLite cannot change a CHECK in
 * place, so print_slips is rebuilt (the documented 12-step way: foreign keys off, copy, drop,
 * rename, check, on again), in one transaction of its own. Rows keep every value.
 */
const slipColumns = `slip_key, store_id, ticket_id, station_id, printer_id, backup_from, reprint_no, reprint_of, state, needs_mark,
  attempts, payload_hash, last_error, created_at, updated_at, printed_at`;

async function rebuild(db: Kysely<any>, states: readonly string[], withSupersededBy: boolean, copy: ReturnType<typeof sql>): Promise<void> {
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin immediate`.execute(db);
    try {
      await sql`drop table if exists print_slips_next`.execute(db);
      await db.schema
        .createTable("print_slips_next")
        .addColumn("slip_key", "text", (c) => c.primaryKey())
        .addColumn("store_id", "text", (c) => c.notNull())
        .addColumn("ticket_id", "text", (c) => c.notNull())
        .addColumn("station_id", "text", (c) => c.notNull())
        .addColumn("printer_id", "text", (c) => c.notNull())
        .addColumn("backup_from", "text")
        .addColumn("reprint_no", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("reprint_of", "text")
        .addColumn("state", "text", (c) => c.notNull().check(sql`state in (${sql.join(states.map((s) => sql.lit(s)))})`))
        .addColumn("needs_mark", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("payload_hash", "text")
        .addColumn("last_error", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("printed_at", "text")
        .$call((b) => (withSupersededBy ? b.addColumn("superseded_by", "text") : b))
        .modifyEnd(sql`strict`)
        .execute();
      await copy.execute(db);
      await sql`drop table print_slips`.execute(db);
      await sql`alter table print_slips_next rename to print_slips`.execute(db);
      await db.schema.createIndex("print_slips_queue").on("print_slips").columns(["printer_id", "state", "created_at"]).execute();
      await db.schema.createIndex("print_slips_ticket").on("print_slips").column("ticket_id").execute();
      const broken = await sql<{ table: string }>`pragma foreign_key_check`.execute(db);
      if (broken.rows.length > 0) throw new Error(`print_slips rebuild broke ${broken.rows.length} foreign key(s)`);
      await sql`commit`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

async function hasSupersededBy(db: Kysely<any>): Promise<boolean> {
  const rows = await sql<{ n: number }>`select count(*) as n from pragma_table_info('print_slips') where name = 'superseded_by'`.execute(db);
  return (rows.rows[0]?.n ?? 0) > 0;
}

export async function up(db: Kysely<any>): Promise<void> {
  // Already rebuilt (a stop between the commit and the migration's own bookkeeping row): not again.
  if (!(await hasSupersededBy(db))) {
    await rebuild(db, ["pending", "printed", "failed", "superseded"], true,
      sql`insert into print_slips_next (${sql.raw(slipColumns)}, superseded_by) select ${sql.raw(slipColumns)}, null from print_slips`);
  }
  // Failed originals whose content a reprint already printed (the bug this fixes) are resolved now:
  // they leave the admins' failed list, and print.retry refuses them.
  await sql`update print_slips set state = 'superseded', superseded_by = (
      select r.slip_key from print_slips r where r.reprint_of = print_slips.slip_key and r.state = 'printed' order by r.reprint_no limit 1)
    where state = 'failed' and reprint_no = 0
      and exists (select 1 from print_slips r where r.reprint_of = print_slips.slip_key and r.state = 'printed')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(await hasSupersededBy(db))) return;
  // A superseded slip was failed before it was resolved (or pending, never printed): it goes back to failed.
  await rebuild(db, ["pending", "printed", "failed"], false, sql`insert into print_slips_next (${sql.raw(slipColumns)})
    select ${sql.raw(slipColumns.replace("state,", "case when state = 'superseded' then 'failed' else state end,"))} from print_slips`);
}

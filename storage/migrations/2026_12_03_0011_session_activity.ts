import { sql, type Kysely } from "kysely";

/**
 * R-OFF-1: a timed-out session is not over. It keeps its table (the database refuses a second
 * live session beside it, as it does beside an open one) and the idle sweeper finds live sessions
 * per store through the same partial index. The index is rebuilt with `timed_out` in its list;
 * rows are untouched.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index sessions_one_live_per_table`.execute(db);
  await sql`create unique index sessions_one_live_per_table on sessions (store_id, table_id)
    where status in ('open', 'in_kitchen', 'paying', 'timed_out')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index sessions_one_live_per_table`.execute(db);
  await sql`create unique index sessions_one_live_per_table on sessions (store_id, table_id)
    where status in ('open', 'in_kitchen', 'paying')`.execute(db);
}

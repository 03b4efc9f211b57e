import { sql, type Kysely } from "kysely";

/**
 * Idempotency keys belong to the store and the principal that sent them (as payment APIs scope
 * keys to an account): one principal's cmdId can neither replay nor block another's. The key of
 * processed_commands becomes (store_id, actor_id, cmd_id); rows written before keep their meaning.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("processed_commands_scoped")
    .addColumn("store_id", "text", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("cmd_id", "text", (c) => c.notNull())
    .addColumn("command_type", "text", (c) => c.notNull())
    .addColumn("body_hash", "text", (c) => c.notNull())
    .addColumn("reply", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("processed_commands_pk", ["store_id", "actor_id", "cmd_id"])
    .modifyEnd(sql`strict, without rowid`)
    .execute();
  await sql`insert into processed_commands_scoped (store_id, actor_id, cmd_id, command_type, body_hash, reply, created_at)
    select store_id, actor_id, cmd_id, command_type, body_hash, reply, created_at from processed_commands`.execute(db);
  await db.schema.dropTable("processed_commands").execute();
  await sql`alter table processed_commands_scoped rename to processed_commands`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("processed_commands_global")
    .addColumn("cmd_id", "text", (c) => c.primaryKey())
    .addColumn("store_id", "text", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("command_type", "text", (c) => c.notNull())
    .addColumn("body_hash", "text", (c) => c.notNull())
    .addColumn("reply", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .modifyEnd(sql`strict, without rowid`)
    .execute();
  // Keys shared by two principals cannot both survive a global key: the first one written wins.
  await sql`insert or ignore into processed_commands_global select cmd_id, store_id, actor_id, command_type, body_hash, reply, created_at
    from processed_commands order by created_at`.execute(db);
  await db.schema.dropTable("processed_commands").execute();
  await sql`alter table processed_commands_global rename to processed_commands`.execute(db);
}

import { sql, type Kysely } from "kysely";

/**
 * QR access (issue 12): one signing secret per store for the table tokens printed on the tables.
 * A rotation replaces the secret and raises the version, so every printed link of the old one
 * stops at once; the version only goes up (trigger), so a rotation can never hand an old
 * version number back. The secret is 32 random bytes as 64 lowercase hex digits.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("qr_secrets")
    .addColumn("store_id", "text", (c) => c.primaryKey())
    .addColumn("secret", "text", (c) => c.notNull().check(sql`length(secret) = 64 and secret not glob '*[^0-9a-f]*'`))
    .addColumn("version", "integer", (c) => c.notNull().check(sql`version >= 1`))
    .addColumn("rotated_at", "text", (c) => c.notNull())
    .addColumn("rotated_by", "text", (c) => c.notNull())
    .modifyEnd(sql`strict, without rowid`)
    .execute();
  await sql`create trigger qr_secrets_version_up before update on qr_secrets
    when new.version <= old.version or new.store_id <> old.store_id
    begin select raise(abort, 'qr_secrets: a rotation raises the version of the same store'); end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("qr_secrets").execute();
}

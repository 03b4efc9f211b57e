import { sql, type Kysely } from "kysely";

/** Kitchen progress (R-KDS-3/4), ticket bumps and runtime stock (86 with countdown). */
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ["cook_started_at", "cooked_at", "served_at", "missing_at", "missing_note"]) {
    await db.schema.alterTable("order_items").addColumn(column, "text").execute();
  }
  await db.schema.alterTable("kitchen_tickets").addColumn("bumped_at", "text").execute();
  await db.schema.createIndex("kitchen_tickets_open").on("kitchen_tickets").columns(["store_id", "state"]).execute();

  await db.schema
    .createTable("menu_stock")
    .addColumn("store_id", "text", (c) => c.notNull())
    .addColumn("menu_id", "text", (c) => c.notNull())
    .addColumn("sold_out", "integer", (c) => c.notNull().check(sql`sold_out in (0, 1)`))
    // null = not counted; a countdown never goes below zero (the database refuses it).
    .addColumn("remaining", "integer", (c) => c.check(sql`remaining is null or remaining >= 0`))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("menu_stock_pk", ["store_id", "menu_id"])
    .modifyEnd(sql`strict`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("menu_stock").execute();
  await db.schema.dropIndex("kitchen_tickets_open").execute();
  await db.schema.alterTable("kitchen_tickets").dropColumn("bumped_at").execute();
  for (const column of ["cook_started_at", "cooked_at", "served_at", "missing_at", "missing_note"]) {
    await db.schema.alterTable("order_items").dropColumn(column).execute();
  }
}

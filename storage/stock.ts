import type { StockLevel } from "../domain/index.ts";
import type { Storage } from "./database.ts";
import type { StockWrite } from "./commit-writer.ts";

/** Raised inside a unit when a countdown would go below zero: the unit fails alone (SOLD_OUT). */
export class StockExhaustedError extends Error {
  override name = "StockExhaustedError";
  constructor(readonly menuId: string) {
    super(`not enough ${menuId} left`);
  }
}

export function createStockWriter(storage: Storage) {
  const set = storage.sqlite.prepare(
    `insert into menu_stock (store_id, menu_id, sold_out, remaining, updated_at, updated_by) values (?, ?, ?, ?, ?, ?)
     on conflict (store_id, menu_id) do update set sold_out = excluded.sold_out, remaining = excluded.remaining,
       updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  );
  const take = storage.sqlite.prepare(
    `update menu_stock set remaining = remaining - @quantity, sold_out = case when remaining - @quantity = 0 then 1 else sold_out end,
       updated_at = @at, updated_by = @by
     where store_id = @store and menu_id = @menu and remaining is not null and remaining >= @quantity and sold_out = 0`,
  );
  const counted = storage.sqlite.prepare("select count(*) from menu_stock where store_id = ? and menu_id = ? and (remaining is not null or sold_out = 1)").pluck();
  return {
    apply(storeId: string, write: StockWrite, at: string, by: string): void {
      if (write.kind === "set") {
        set.run(storeId, write.menuId, write.soldOut ? 1 : 0, write.remaining, at, by);
        return;
      }
      const result = take.run({ quantity: write.quantity, at, by, store: storeId, menu: write.menuId });
      // No row, or an uncounted one, means the item is not rationed: nothing to take.
      if (result.changes === 0 && (counted.get(storeId, write.menuId) as number) > 0) throw new StockExhaustedError(write.menuId);
    },
  };
}

/** Current stock levels of a store (only items that were ever 86'd or counted have a row). */
export function createStockReader(storage: Storage) {
  const all = storage.sqlite.prepare("select menu_id, sold_out, remaining from menu_stock where store_id = ?");
  const one = storage.sqlite.prepare("select sold_out, remaining from menu_stock where store_id = ? and menu_id = ?");
  return {
    levels(storeId: string): Map<string, StockLevel> {
      const rows = all.all(storeId) as { menu_id: string; sold_out: number; remaining: number | null }[];
      return new Map(rows.map((r) => [r.menu_id, { soldOut: r.sold_out === 1, remaining: r.remaining }]));
    },
    level(storeId: string, menuId: string): StockLevel | undefined {
      const r = one.get(storeId, menuId) as { sold_out: number; remaining: number | null } | undefined;
      return r ? { soldOut: r.sold_out === 1, remaining: r.remaining } : undefined;
    },
  };
}

export type StockReader = ReturnType<typeof createStockReader>;

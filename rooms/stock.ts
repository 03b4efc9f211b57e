import type { StockLevel } from "../domain/index.ts";
import type { StockReader } from "../storage/index.ts";

/**
 * The store's runtime stock (86 / countdown) kept in memory for decide, refreshed from SQLite
 * after every commit that touched it, so memory never drifts from what the database enforces.
 */
export class StockBook {
  readonly #levels = new Map<string, Map<string, StockLevel>>();
  readonly #listeners = new Set<(storeId: string, menuId: string, level: StockLevel | undefined) => void>();

  constructor(private readonly reader: StockReader) {}

  levels(storeId: string): ReadonlyMap<string, StockLevel> {
    let levels = this.#levels.get(storeId);
    if (!levels) {
      levels = this.reader.levels(storeId);
      this.#levels.set(storeId, levels);
    }
    return levels;
  }

  refresh(storeId: string, menuIds: Iterable<string>): void {
    const levels = this.levels(storeId) as Map<string, StockLevel>;
    for (const menuId of new Set(menuIds)) {
      const level = this.reader.level(storeId, menuId);
      const before = levels.get(menuId);
      if (level) levels.set(menuId, level);
      else levels.delete(menuId);
      if (before?.soldOut !== level?.soldOut || before?.remaining !== level?.remaining) for (const l of this.#listeners) l(storeId, menuId, level);
    }
  }

  onChange(listener: (storeId: string, menuId: string, level: StockLevel | undefined) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** What a table room knows that is not in the session's events: its edit lock (R-CON-1). */
export interface TableLockSignal {
  readonly storeId: string;
  readonly tableId: string;
  /** null when the lock was released, expired or freed. */
  readonly lock: { readonly holderName: string; readonly expiresAt: string } | null;
}

/**
 * In-process news from table rooms to the store's floor view. A table room lives in exactly one
 * process, and so does its lock, so the floor of another process learns it only from its own
 * tables (documented in docs/FRONTEND.md; the session figures themselves come from storage).
 */
export class TableSignals {
  readonly #listeners = new Set<(signal: TableLockSignal) => void>();
  readonly #locks = new Map<string, TableLockSignal>();

  onLock(listener: (signal: TableLockSignal) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  lockChanged(signal: TableLockSignal): void {
    const key = `${signal.storeId}/${signal.tableId}`;
    if (signal.lock) this.#locks.set(key, signal);
    else this.#locks.delete(key);
    for (const listener of this.#listeners) listener(signal);
  }

  /** Current locks of a store (a floor view joining late). */
  locksOf(storeId: string): TableLockSignal[] {
    return [...this.#locks.values()].filter((s) => s.storeId === storeId);
  }
}

/** A guest's "직원 호출" (staff call) from a QR phone, heard by the table's POS and the admin console. */
export interface StaffCall {
  readonly storeId: string;
  readonly tableId: string;
  readonly tableName: string;
  /** The session the guest called from: the floor's mark lasts as long as it does. */
  readonly sessionId: string;
  readonly customerId: string;
  readonly note: string;
  readonly at: string;
}

export class StaffCallDesk {
  readonly #listeners = new Set<(call: StaffCall) => void>();
  /** The latest call of each table (one entry per table, replaced): a floor room created later shows it too. */
  readonly #latest = new Map<string, StaffCall>();

  on(listener: (call: StaffCall) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(call: StaffCall): void {
    this.#latest.set(`${call.storeId}\u0000${call.tableId}`, call);
    for (const listener of this.#listeners) listener(call);
  }

  /** Each table's latest call in a store (the caller checks that its session is still the table's). */
  latestOf(storeId: string): StaffCall[] {
    return [...this.#latest.values()].filter((call) => call.storeId === storeId);
  }
}

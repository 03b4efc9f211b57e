/** A guest's "직원 호출" (staff call) from a QR phone, heard by the table's POS and the admin console. */
export interface StaffCall {
  readonly storeId: string;
  readonly tableId: string;
  readonly tableName: string;
  readonly customerId: string;
  readonly note: string;
  readonly at: string;
}

export class StaffCallDesk {
  readonly #listeners = new Set<(call: StaffCall) => void>();

  on(listener: (call: StaffCall) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(call: StaffCall): void {
    for (const listener of this.#listeners) listener(call);
  }
}

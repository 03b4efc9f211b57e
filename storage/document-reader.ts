import type { Storage } from "./database.ts";

export interface CashReceiptRow {
  cash_receipt_id: string; payment_id: string; amount_won: number; purpose: string; identity_masked: string; approval_no: string; issued_at: string;
}

/** Receipts and cash receipts already given for a session (copy numbers, what the receipt lists). */
export function createDocumentReader(storage: Storage) {
  const receiptCount = storage.sqlite.prepare("select count(*) from receipts where session_id = ?").pluck();
  const cashReceipts = storage.sqlite.prepare("select * from cash_receipts where session_id = ? order by issued_at, cash_receipt_id");
  return {
    receiptsPrinted(sessionId: string): number {
      return receiptCount.get(sessionId) as number;
    },
    cashReceipts(sessionId: string): CashReceiptRow[] {
      return cashReceipts.all(sessionId) as CashReceiptRow[];
    },
  };
}

export type DocumentReader = ReturnType<typeof createDocumentReader>;

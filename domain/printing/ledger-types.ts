import type { AttemptOutcome } from "./slip-family.ts";

/**
 * The print ledger's rows and writes, as plain types: storage implements them (storage/print-store.ts)
 * and the printer actors (printers/actor/) use them, without either importing the other.
 */
export interface SlipRow {
  slipKey: string; storeId: string; ticketId: string; stationId: string; printerId: string; backupFrom: string | null;
  reprintNo: number; reprintOf: string | null; state: "pending" | "printed" | "failed" | "superseded"; needsMark: boolean; attempts: number;
  payloadHash: string | null; lastError: string | null; createdAt: string; updatedAt: string; printedAt: string | null;
  /** When `superseded`: the copy of the same content that printed instead (docs/PRINTING.md §5). */
  supersededBy: string | null;
}

export interface JobRow {
  jobId: string; slipKey: string; storeId: string; printerId: string; attempt: number; marked: boolean; payloadHash: string;
  state: "sending" | "confirmed" | "not_sent" | "unknown"; error: string | null; requestedBy: string; createdAt: string; finishedAt: string | null;
}

export interface NewSlip {
  readonly slipKey: string; readonly storeId: string; readonly ticketId: string; readonly stationId: string; readonly printerId: string; readonly at: string;
}

export interface NewJob {
  readonly jobId: string; readonly slipKey: string; readonly storeId: string; readonly printerId: string; readonly attempt: number;
  readonly marked: boolean; readonly payloadHash: string; readonly requestedBy: string; readonly at: string;
}

/**
 * Print bookkeeping, written through the CommitWriter so it shares group commits (and fsyncs)
 * with everything else instead of blocking the event loop once per slip.
 */
export type PrintWrite =
  | { readonly kind: "retry"; readonly slipKey: string; readonly printerId: string; readonly at: string }
  | { readonly kind: "reprint"; readonly slipKey: string; readonly of: SlipRow; readonly reprintNo: number; readonly printerId: string; readonly at: string }
  | { readonly kind: "enqueue"; readonly slip: NewSlip }
  | { readonly kind: "startJob"; readonly job: NewJob }
  | {
      readonly kind: "finishJob"; readonly jobId: string; readonly slipKey: string; readonly outcome: JobRow["state"]; readonly error: string | null;
      readonly slipState: SlipRow["state"]; readonly needsMark: boolean; readonly at: string;
    }
  /**
   * Finishes an attempt's job row and settles its slip by the content rules (`decideSettle`),
   * read and applied inside this transaction: a printed copy resolves the failed copies of its family.
   */
  | {
      readonly kind: "settleJob"; readonly jobId: string; readonly slipKey: string; readonly outcome: AttemptOutcome; readonly error: string | null;
      readonly lastAttempt: boolean; readonly at: string;
    }
  /** A pending slip whose content another copy printed: not printed again (`decideCopy`). */
  | { readonly kind: "supersede"; readonly slipKey: string; readonly by: string; readonly at: string }
  | { readonly kind: "moveToBackup"; readonly from: string; readonly to: string; readonly at: string };

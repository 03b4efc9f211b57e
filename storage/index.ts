/** Storage: SQLite through better-sqlite3, SQL built with Kysely. Owns every SQL string. */
export { openStorage, type Storage, type Sqlite } from "./database.ts";
export { CommitWriter, type CommitUnit, type DocumentWrite, type WriterStats, type StockWrite, type SystemWrite, type Writer, type Work } from "./commit-writer.ts";
export { ThreadedWriter } from "./threaded-writer.ts";
export { WriteFailure, type WriteFailureReason, type WriteFailureKind } from "./write-errors.ts";
export { createKitchenReader, type KitchenReader, type TicketRow, type ItemRow } from "./kitchen-reader.ts";
export { createPrintStore, type PrintStore, type SlipRow, type JobRow, type PrintWrite } from "./print-store.ts";
export { createStockReader, StockExhaustedError, type StockReader } from "./stock.ts";
export { createSessionReader, type SessionReader, type ProcessedCommand, type CommandKey, type IdleSessionRow } from "./session-reader.ts";
export { createOutboxStore, createOutboxPruner, retentionLimits, type OutboxStore, type OutboxRow, type OutboxPruner, type PruneWrite } from "./outbox.ts";
export { verifyAuditChain, chainHash, genesisHash, type AuditEntry, type AuditVerdict } from "./audit.ts";
export { storageLimits } from "./limits.ts";
export type { SessionSnapshot, EventContext } from "./projection.ts";
export { createDocumentReader, type DocumentReader, type CashReceiptRow } from "./document-reader.ts";
export { createPaymentReader, type PaymentReader, type PaymentRow, type RefundRow, type PendingPaymentRow, type PendingRefundRow } from "./payment-reader.ts";
export { createReportReader, type ReportReader, type ReportSessionRow, type CartChargeRow, type DailyCloseRow, type CloseDayRequest, type CloseDayResult } from "./report-reader.ts";
export { createQrStore, type QrStore, type QrSecret, type QrRotation, type QrRotated } from "./qr-store.ts";
export { createCartPaymentStore, type CartPaymentStore, type CartPayment, type CartPaymentLine, type CartPaymentStatus } from "./cart-payment-store.ts";
export { createFloorReader, type FloorReader, type LiveVersion } from "./floor-reader.ts";

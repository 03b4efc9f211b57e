/** Kitchen-printer device layer: ESC/POS rendering, raw TCP transport, decoder and emulator. No database, no rooms. */

/** Streaming ESC/POS decoder: `push(chunk)` returns slips (at each cut), DLE EOT requests and GS ( H ids, in stream order. */
export { EscPosDecoder } from "./escpos/decoder.ts";
export type { Align, DecoderCounters, DecoderEvent, DecoderOptions, Slip, SlipLine } from "./escpos/types.ts";

/** Loopback printer for tests and the admin view; answers DLE EOT and GS ( H like an Epson TM. */
export { PrinterEmulator } from "./emulator/emulator.ts";
export type { EmulatorOptions, EmulatorStats, Fault, FaultMode, StoredSlip } from "./emulator/emulator.ts";

/** `renderSlip(slip)` → `{ bytes, text, replaced, lines }`, KS X 1001 safe, laid out by display width. */
export { renderSlip } from "./slip/render.ts";
export type { KitchenSlip, KitchenSlipItem, RenderedSlip } from "./slip/render.ts";
/** `renderReceipt(data)`: the customer receipt (영수증) with the VAT split, copies marked COPY n. */
export { renderReceipt, receiptMarks } from "./slip/receipt.ts";
export type { ReceiptData, ReceiptPayment } from "./slip/receipt.ts";
/** KS X 1001 guard: iconv-lite's EUC-KR is CP949, so check every char. */
export { encodeForPrinter, isPrintable, sanitizeForPrinter, unprintableReplacement } from "./slip/ksx1001.ts";
export type { Sanitized } from "./slip/ksx1001.ts";
/** Column helpers: Hangul and other wide chars take 2 columns. */
export { displayWidth, fitToWidth, padToWidth, printerWidth, splitAtWidth, twoColumns, wrapToWidth } from "./slip/width.ts";
export type { Measure } from "./slip/width.ts";

/** `sendJob` classifies every send as confirmed / not-sent / unknown; `queryStatus` asks DLE EOT 1/2/4. */
export { queryStatus, sendJob } from "./transport/send.ts";
export type { PrinterTarget, SendOptions, SendOutcome, SendResult } from "./transport/send.ts";
export { InboundReader, isValidJobTag, processIdRequest, statusFromAsb, statusFromReplies, statusQueries } from "./transport/inbound.ts";
export type { PrinterStatus } from "./transport/inbound.ts";

/** Every bound of this layer. */
export { decoderLimits, emulatorLimits, slipLimits, transportLimits } from "./limits.ts";

/** The per-printer actor (pipelined print line, batched bookkeeping) and its ports to the ledger. */
export { PrinterActor } from "./actor/printer-actor.ts";
export type { ActorDeps, ActorLog, ActorSettings, CrashHooks, PrintCrashPoint, PrintLedger, PrinterHealth, ResolvedPrinter, SlipSource } from "./actor/types.ts";
export { PrintLine } from "./transport/print-line.ts";
export type { LineJob, LineOptions, LineResult } from "./transport/print-line.ts";
export { lineLimits } from "./limits.ts";

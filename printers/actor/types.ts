import type { PrintWrite, SlipFamily, SlipRow } from "../../domain/index.ts";
import type { ReceiptData } from "../slip/receipt.ts";
import type { KitchenSlip } from "../slip/render.ts";
import type { PrinterStatus } from "../transport/inbound.ts";

/** A printer as the actors use it (configured, or the built-in emulator). */
export interface ResolvedPrinter {
  readonly id: string;
  readonly storeId: string;
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly stationIds: readonly string[];
  readonly widthChars: number;
  readonly backupPrinterId?: string | undefined;
  readonly failoverAfterFailures: number;
}

export interface PrinterHealth {
  readonly printerId: string;
  readonly storeId: string;
  readonly name: string;
  readonly address: string;
  /** Last health check or send: reachable, and the status bits where the printer answered. */
  reachable: boolean;
  status: PrinterStatus | null;
  checkedAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  /** While set, this printer's slips go to that backup printer. */
  failedOverTo: string | null;
  pending: number;
}

/** The retry policy and timeouts (the server's `printing` config has these fields). */
export interface ActorSettings {
  readonly attemptsMax: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly connectTimeoutMs: number;
  readonly completionTimeoutMs: number;
}

/** What an actor needs from the print ledger: reads on this process's connection, writes through the group commit. */
export interface PrintLedger {
  /** Up to `limit` pending slips of the printer, oldest first. */
  pendingBatch(printerId: string, limit: number): SlipRow[];
  slip(slipKey: string): SlipRow | undefined;
  /** `known`: the slip's row as just read (saves reading it again). */
  familyOf(slipKey: string, known?: SlipRow): { rows: SlipRow[]; family: SlipFamily } | undefined;
  /** Durable bookkeeping (resolves after COMMIT, shared with other writes). */
  submit(writes: readonly PrintWrite[]): Promise<void>;
}

/** What a slip prints: the ticket's content (one for every copy) or a receipt's frozen data. */
export interface SlipSource {
  kitchenSlip(ticketId: string, widthChars: number): KitchenSlip | undefined;
  receipt(receiptId: string): ReceiptData | undefined;
  printerName(printerId: string): string;
}

/** The test-only crash points the actor reaches (DESIGN.md §7); production passes none. */
export type PrintCrashPoint = "after-outbox-before-print" | "mid-print" | "after-print-before-ledger";
export interface CrashHooks {
  /** Dies here when this is the armed point's n-th time. */
  hit(point: PrintCrashPoint): void;
  /** True (and counted) when reaching `point` now must crash; the caller then does its part and calls `crash`. */
  reached(point: PrintCrashPoint): boolean;
  crash(point: PrintCrashPoint): never;
}

export interface ActorLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface ActorDeps {
  readonly ledger: PrintLedger;
  readonly source: SlipSource;
  readonly settings: ActorSettings;
  readonly log: ActorLog;
  nowMs(): number;
  newId(): string;
  /** A slip reached a final state. */
  onOutcome(printer: ResolvedPrinter, slip: SlipRow, outcome: "printed" | "failed", error: string | null): void;
  /** This printer failed over to its backup (health.failedOverTo is set). */
  onFailover(printer: ResolvedPrinter): Promise<void>;
  /** The printer said it cannot print (`reason`: paper_out, cover_open, offline), or (null) it can again. */
  onNotReady?(printer: ResolvedPrinter, reason: string | null): void;
  readonly crashHooks?: CrashHooks | undefined;
  /** Jobs on the line at once (default `lineLimits.windowJobs`) and the idle close. */
  readonly windowJobs?: number;
  readonly idleCloseMs?: number;
  /** Status polls while the printer is not ready (default `lineLimits.notReadyPollMs`). */
  readonly notReadyPollMs?: number;
}

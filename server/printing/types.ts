import type { PrinterStatus } from "../../printers/index.ts";

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

/** Told to the table's terminals, every admin, and the kitchen screens (R-KRP-2, R-UI-4). */
export interface PrintNotice {
  readonly kind: "print_failed" | "printed" | "failover" | "recovered";
  readonly storeId: string;
  readonly tableId: string | null;
  readonly ticketId: string | null;
  readonly slipKey: string | null;
  readonly printerId: string;
  readonly message: string;
  readonly at: string;
}

/** The printer and its health are the printer layer's types (printers/actor/); the notice is the server's. */
export type { PrinterHealth, ResolvedPrinter } from "../../printers/actor/types.ts";

/** Told to the table's terminals, every admin, and the kitchen screens (R-KRP-2, R-UI-4). */
export interface PrintNotice {
  /** `not_ready`: the printer said it cannot print (paper out…); its slips wait. `recovered`: a failed-over or not-ready printer prints again. */
  readonly kind: "print_failed" | "printed" | "failover" | "recovered" | "not_ready";
  readonly storeId: string;
  readonly tableId: string | null;
  readonly ticketId: string | null;
  readonly slipKey: string | null;
  readonly printerId: string;
  readonly message: string;
  readonly at: string;
}

import { z } from "zod";

/** Printing bounds and defaults (R-OFF-3 retry policy), overridable under "printing" in the config. */
export const printingDefaults = {
  attemptsMax: 5,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  connectTimeoutMs: 3_000,
  completionTimeoutMs: 8_000,
  healthCheckEverySeconds: 60,
} as const;

const printerId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "must be 1 to 32 of A-Z a-z 0-9 _ -");
// A hostname or an IPv4/IPv6 literal: no scheme, no path, no spaces.
const host = z
  .string()
  .regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[?[0-9A-Fa-f:.]+\]?)$/, "must be a hostname or an IP address (no tcp://, no port)");

export const printerSchema = z.strictObject({
  id: printerId,
  name: z.string().max(40).refine((s) => s.trim() !== "", "must not be empty or blank"),
  host,
  port: z.int().min(1).max(65_535).default(9100),
  /** Stations whose tickets this printer prints (as the primary). */
  stationIds: z.array(printerId).min(1).max(20),
  /** Characters per line in normal type: 42 for 80 mm paper, 32 for 58 mm, 48 for 80 mm font B. */
  widthChars: z.union([z.literal(32), z.literal(42), z.literal(48)]).default(42),
  /** Korean printers print KS X 1001 through EUC-KR; anything else would print garbage. */
  codePage: z.literal("ksx1001").default("ksx1001"),
  /** Takes over this printer's slips after failoverAfterFailures consecutive failed attempts. */
  backupPrinterId: printerId.optional(),
  failoverAfterFailures: z.int().min(1).max(20).default(3),
});

export const printingSchema = z
  .strictObject({
    attemptsMax: z.int().min(1).max(20).default(printingDefaults.attemptsMax),
    backoffBaseMs: z.int().min(50).max(60_000).default(printingDefaults.backoffBaseMs),
    backoffMaxMs: z.int().min(100).max(600_000).default(printingDefaults.backoffMaxMs),
    connectTimeoutMs: z.int().min(100).max(30_000).default(printingDefaults.connectTimeoutMs),
    completionTimeoutMs: z.int().min(200).max(120_000).default(printingDefaults.completionTimeoutMs),
    healthCheckEverySeconds: z.int().min(5).max(3_600).default(printingDefaults.healthCheckEverySeconds),
  })
  .prefault({});

export type PrinterConfig = z.output<typeof printerSchema>;
export type PrintingConfig = z.output<typeof printingSchema>;

/** Cross-field rules of a store's printers, reported at the field's own path. */
export function checkPrinters(
  printers: readonly PrinterConfig[],
  stationIds: readonly string[],
  fail: (path: PropertyKey[], message: string) => void,
): void {
  const ids = printers.map((p) => p.id);
  const primaryOf = new Map<string, string>();
  printers.forEach((printer, i) => {
    if (ids.indexOf(printer.id) !== i) fail(["printers", i, "id"], `duplicate printer id "${printer.id}"`);
    printer.stationIds.forEach((stationId, j) => {
      if (!stationIds.includes(stationId)) fail(["printers", i, "stationIds", j], `unknown station "${stationId}"`);
      const other = primaryOf.get(stationId);
      if (other) fail(["printers", i, "stationIds", j], `station "${stationId}" already prints on "${other}"`);
      primaryOf.set(stationId, printer.id);
    });
    if (printer.backupPrinterId === printer.id) fail(["printers", i, "backupPrinterId"], "a printer cannot back itself up");
    else if (printer.backupPrinterId !== undefined && !ids.includes(printer.backupPrinterId)) {
      fail(["printers", i, "backupPrinterId"], `unknown printer "${printer.backupPrinterId}"`);
    }
  });
  if (printers.length > 0) {
    const unrouted = stationIds.filter((s) => !primaryOf.has(s));
    if (unrouted.length > 0) fail(["printers"], `stations without a printer: ${unrouted.join(", ")}`);
  }
}

import { randomUUID } from "node:crypto";
import { PrinterEmulator, renderSlip, sendJob, type KitchenSlip } from "../printers/index.ts";
import { lineLimits } from "../printers/limits.ts";
import { PrintLine } from "../printers/transport/print-line.ts";
import { LatencyRecorder, round, type LatencySummary } from "./stats.ts";
import { benchSettings, kitchenTicketId } from "./settings.ts";

export interface RawPrintResult {
  readonly printers: number;
  readonly durationS: number;
  readonly slips: number;
  readonly slipsPerSecond: number;
  readonly slipsPerSecondPerPrinter: number;
  /** sendJob: connect, write, the emulator's GS ( H echo (sent right after it stored the slip). */
  readonly latency: LatencySummary;
  readonly errors: number;
  readonly slipBytes: number;
  /** Bytes the emulators received per stored slip (DLE EOT queries and the GS ( H request included). */
  readonly bytesPerSlip: number;
  /** The emulator decoded the slip back to exactly the rendered text. */
  readonly textMatches: boolean;
}

/** The kitchen slip of one bench confirm, as the server renders it (server/printing/slip-data.ts). */
export function benchKitchenSlip(): KitchenSlip {
  return {
    storeName: "데모 식당",
    tableName: "벤치 5",
    batchNo: 1,
    ticketId: kitchenTicketId(randomUUID()),
    stationName: "주방",
    source: "pos",
    kind: "new",
    createdAt: new Date().toISOString(),
    items: [{ name: "김치찌개", quantity: 2, options: ["매운맛"], note: "" }],
    reprintCount: 0,
    widthChars: 42,
  };
}

/**
 * The ceiling for (c): no server, no database. One rendered slip, sent with the project's own
 * transport (`sendJob`: a fresh TCP connection per slip) in a tight loop, one loop per fresh
 * emulator, as many emulators as the project's printers.
 */
export function runRawPrint(): Promise<RawPrintResult> {
  return runRaw(async ({ port, printer, bytes, keepSending, send }) => {
    const target = { host: "127.0.0.1", port };
    const options = benchSettings.printing.send;
    for (let i = 0; keepSending(); i++) await send(() => sendJob(target, bytes, { jobTag: jobTag(printer, i), ...options }));
  });
}

/**
 * The pipelined ceiling: the same bytes on one persistent PrintLine per fresh emulator, with the
 * printer actor's window of jobs kept in flight (as many loops per emulator as the window). No server,
 * no database: what the project's actor could reach if its bookkeeping cost nothing.
 */
export function runRawPipelined(windowJobs: number = lineLimits.windowJobs): Promise<RawPrintResult> {
  const lines: PrintLine[] = [];
  return runRaw(async ({ port, printer, bytes, keepSending, send }) => {
    const line = new PrintLine({ host: "127.0.0.1", port }, { ...benchSettings.printing.send, windowJobs });
    lines.push(line);
    let seq = 0;
    await Promise.all(Array.from({ length: windowJobs }, async () => {
      while (keepSending()) await send(() => line.send({ bytes, jobTag: jobTag(printer, seq++) }));
    }));
  }, async () => {
    for (const line of lines) await line.close();
  });
}

interface RawLoop {
  readonly port: number;
  readonly printer: number;
  readonly bytes: Buffer;
  /** Until the time is up or enough slips were timed. */
  keepSending(): boolean;
  /** Times one send; a confirmed one counts as a slip, anything else as an error. */
  send(attempt: () => Promise<{ outcome: string }>): Promise<void>;
}

/** Fresh emulators, `loop` on each for `rawMs`, then the figures; `cleanUp` runs before they stop. */
async function runRaw(
  loop: (raw: RawLoop) => Promise<void>,
  cleanUp: () => Promise<void> = async () => undefined,
): Promise<RawPrintResult> {
  const settings = benchSettings.printing;
  const rendered = renderSlip(benchKitchenSlip());
  const emulators = Array.from({ length: settings.rawPrinters }, () => new PrinterEmulator({ host: "127.0.0.1", port: 0 }));
  try {
    for (const e of emulators) await e.start();
    const latency = new LatencyRecorder(settings.rawSlipsMax);
    let errors = 0;
    const t0 = performance.now();
    const endAt = t0 + settings.rawMs;
    const keepSending = () => performance.now() < endAt && latency.count < settings.rawSlipsMax;
    const send = async (attempt: () => Promise<{ outcome: string }>) => {
      const sent = performance.now();
      if ((await attempt()).outcome === "confirmed") latency.record(performance.now() - sent);
      else errors += 1;
    };
    const bytes = rendered.bytes;
    await Promise.all(emulators.map((emulator, printer) => loop({ port: emulator.port, printer, bytes, keepSending, send })));
    const durationS = (performance.now() - t0) / 1000;
    const stored = emulators.reduce((n, e) => n + e.stats().echoes, 0);
    const received = emulators.reduce((n, e) => n + e.stats().bytesReceived, 0);
    const first = emulators[0]!.slips()[0];
    return {
      printers: emulators.length,
      durationS: round(durationS, 3),
      slips: latency.count,
      slipsPerSecond: round(latency.count / durationS, 1),
      slipsPerSecondPerPrinter: round(latency.count / durationS / emulators.length, 1),
      latency: latency.summary(),
      errors,
      slipBytes: rendered.bytes.length,
      bytesPerSlip: round(stored > 0 ? received / stored : Number.NaN, 0),
      textMatches: first !== undefined && first.text === rendered.text,
    };
  } finally {
    await cleanUp();
    for (const e of emulators) await e.stop();
  }
}

function jobTag(printer: number, i: number): string {
  return `${printer}${(i % 36 ** 3).toString(36).padStart(3, "0")}`;
}

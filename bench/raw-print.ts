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
 * transport (`sendJob`: a fresh TCP connection per slip, like a printer actor) in a tight loop,
 * one loop per fresh emulator, as many emulators as the project's printers.
 */
export async function runRawPrint(): Promise<RawPrintResult> {
  const settings = benchSettings.printing;
  const rendered = renderSlip(benchKitchenSlip());
  const emulators = Array.from({ length: settings.rawPrinters }, () => new PrinterEmulator({ host: "127.0.0.1", port: 0 }));
  try {
    for (const e of emulators) await e.start();
    const latency = new LatencyRecorder(settings.rawSlipsMax);
    let errors = 0;
    const t0 = performance.now();
    const endAt = t0 + settings.rawMs;
    await Promise.all(emulators.map(async (emulator, p) => {
      for (let i = 0; performance.now() < endAt && latency.count < settings.rawSlipsMax; i++) {
        const sent = performance.now();
        const result = await sendJob({ host: "127.0.0.1", port: emulator.port }, rendered.bytes, { jobTag: jobTag(p, i), ...settings.send });
        if (result.outcome === "confirmed") latency.record(performance.now() - sent);
        else errors += 1;
      }
    }));
    const durationS = (performance.now() - t0) / 1000;
    const stored = emulators.reduce((n, e) => n + e.stats().echoes, 0);
    const bytes = emulators.reduce((n, e) => n + e.stats().bytesReceived, 0);
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
      bytesPerSlip: round(stored > 0 ? bytes / stored : Number.NaN, 0),
      textMatches: first !== undefined && first.text === rendered.text,
    };
  } finally {
    for (const e of emulators) await e.stop();
  }
}

/**
 * The pipelined ceiling: the same bytes on one persistent PrintLine per fresh emulator, with the
 * printer actor's window of jobs kept in flight (as many loops per emulator as the window). No server,
 * no database: what the project's actor could reach if its bookkeeping cost nothing.
 */
export async function runRawPipelined(windowJobs: number = lineLimits.windowJobs): Promise<RawPrintResult> {
  const settings = benchSettings.printing;
  const rendered = renderSlip(benchKitchenSlip());
  const emulators = Array.from({ length: settings.rawPrinters }, () => new PrinterEmulator({ host: "127.0.0.1", port: 0 }));
  const lines: PrintLine[] = [];
  try {
    for (const e of emulators) await e.start();
    const latency = new LatencyRecorder(settings.rawSlipsMax);
    let errors = 0;
    const t0 = performance.now();
    const endAt = t0 + settings.rawMs;
    await Promise.all(emulators.map(async (emulator, p) => {
      const line = new PrintLine({ host: "127.0.0.1", port: emulator.port }, { ...settings.send, windowJobs });
      lines.push(line);
      let seq = 0;
      await Promise.all(Array.from({ length: windowJobs }, async () => {
        while (performance.now() < endAt && latency.count < settings.rawSlipsMax) {
          const sent = performance.now();
          const result = await line.send({ bytes: rendered.bytes, jobTag: jobTag(p, seq++) });
          if (result.outcome === "confirmed") latency.record(performance.now() - sent);
          else errors += 1;
        }
      }));
    }));
    const durationS = (performance.now() - t0) / 1000;
    const stored = emulators.reduce((n, e) => n + e.stats().echoes, 0);
    const bytes = emulators.reduce((n, e) => n + e.stats().bytesReceived, 0);
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
      bytesPerSlip: round(stored > 0 ? bytes / stored : Number.NaN, 0),
      textMatches: first !== undefined && first.text === rendered.text,
    };
  } finally {
    for (const line of lines) await line.close();
    for (const e of emulators) await e.stop();
  }
}

/** 4 printable chars, unique per loop for 36^3 slips (GS ( H tags are matched per connection anyway). */
function jobTag(printer: number, i: number): string {
  return `${printer}${(i % 36 ** 3).toString(36).padStart(3, "0")}`;
}

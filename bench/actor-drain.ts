import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PrintWrite } from "../domain/index.ts";
import { PrinterActor, PrinterEmulator, type ActorDeps } from "../printers/index.ts";
import { createPrintStore, openStorage } from "../storage/index.ts";
import { benchKitchenSlip } from "./raw-print.ts";
import { benchSettings } from "./settings.ts";
import { round } from "./stats.ts";

export interface ActorDrainResult {
  readonly printers: number;
  readonly slips: number;
  readonly durationS: number;
  readonly slipsPerSecond: number;
  /** Durable commits (synchronous=FULL, one fsync each) the bookkeeping took. */
  readonly commits: number;
  readonly submits: number;
}

/**
 * Slips/s through the printer actors alone: a backlog of slips in a real SQLite ledger drains
 * through one actor per fresh emulator (the raw benches' bytes and printer count). Submits made in
 * the same event-loop turn share one transaction, as the server's group commit does.
 */
export async function runActorDrain(slipsPerPrinter = 1_000): Promise<ActorDrainResult> {
  const dir = mkdtempSync(join(tmpdir(), "actor-drain-"));
  const storage = await openStorage(join(dir, "ledger.sqlite"));
  const prints = createPrintStore(storage);
  const printers = benchSettings.printing.rawPrinters;
  const emulators = Array.from({ length: printers }, () => new PrinterEmulator({ host: "127.0.0.1", port: 0 }));
  let commits = 0;
  let submits = 0;
  let batch: { writes: readonly PrintWrite[]; resolve: () => void }[] = [];
  const apply = storage.sqlite.transaction((writes: readonly PrintWrite[]) => writes.forEach((w) => prints.applyWrite(w)));
  const submit = (writes: readonly PrintWrite[]) => new Promise<void>((resolve) => {
    submits++;
    if (batch.length === 0) setImmediate(() => {
      const group = batch;
      batch = [];
      commits++;
      apply(group.flatMap((g) => g.writes));
      for (const g of group) g.resolve();
    });
    batch.push({ writes, resolve });
  });
  const slip = benchKitchenSlip();
  const actors: PrinterActor[] = [];
  let done = 0;
  try {
    for (const e of emulators) await e.start();
    const at = new Date().toISOString();
    apply(emulators.flatMap((_, p) => Array.from({ length: slipsPerPrinter }, (_, i): PrintWrite => ({
      kind: "enqueue", slip: { slipKey: `t${p}-${i}:new`, storeId: "s", ticketId: `t${p}-${i}`, stationId: "k", printerId: `p${p}`, at },
    }))));
    let ids = 0;
    const deps: ActorDeps = {
      ledger: { pendingBatch: (id, n) => prints.pendingBatch(id, n), slip: (k) => prints.slip(k), familyOf: (k) => prints.familyOf(k), submit },
      source: { kitchenSlip: () => slip, receipt: () => undefined, printerName: (id) => id },
      settings: { attemptsMax: 5, backoffBaseMs: 500, backoffMaxMs: 30_000, ...benchSettings.printing.send },
      log: { info: () => undefined, warn: (m) => console.warn(m), error: (m, e) => console.error(m, e) },
      nowMs: () => Date.now(),
      newId: () => `j${++ids}`,
      onOutcome: () => void done++,
      onFailover: async () => undefined,
    };
    emulators.forEach((e, p) => actors.push(new PrinterActor({ id: `p${p}`, storeId: "s", name: `p${p}`, host: "127.0.0.1", port: e.port, stationIds: ["k"], widthChars: 42, failoverAfterFailures: 3 }, deps)));
    const t0 = performance.now();
    for (const a of actors) a.wake();
    const total = printers * slipsPerPrinter;
    while (done < total) await new Promise((r) => setTimeout(r, 2));
    const durationS = (performance.now() - t0) / 1000;
    return { printers, slips: total, durationS: round(durationS, 3), slipsPerSecond: round(total / durationS, 1), commits, submits };
  } finally {
    for (const a of actors) await a.stop();
    for (const e of emulators) await e.stop();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

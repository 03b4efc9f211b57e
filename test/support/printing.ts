import { PrinterEmulator, type StoredSlip } from "../../printers/index.ts";
import { demoRawConfig } from "../../server/config/index.ts";
import { startServer, tempDir, writeConfig, type ServerProcess } from "./server-process.ts";

export interface PrintRig {
  server: ServerProcess;
  /** demo: kitchen → a, bar → b. annex: kitchen → c (backup d), bar → d. */
  a: PrinterEmulator;
  b: PrinterEmulator;
  c: PrinterEmulator;
  d: PrinterEmulator;
  dataDir: string;
  configFile: string;
}

export const fastPrinting = { attemptsMax: 3, backoffBaseMs: 100, backoffMaxMs: 400, connectTimeoutMs: 300, completionTimeoutMs: 700, healthCheckEverySeconds: 5 };

/** Real emulators on loopback, in the test process, so they outlive server kills and can be told to fail. */
export async function startPrintRig(printing = fastPrinting): Promise<PrintRig> {
  const [a, b, c, d] = [0, 1, 2, 3].map(() => new PrinterEmulator({ host: "127.0.0.1", port: 0 })) as [PrinterEmulator, PrinterEmulator, PrinterEmulator, PrinterEmulator];
  for (const e of [a, b, c, d]) await e.start();
  const demo = demoRawConfig.stores[0]!;
  const printer = (id: string, name: string, e: PrinterEmulator, stationIds: string[], extra: object = {}) => ({ id, name, host: "127.0.0.1", port: e.port, stationIds, ...extra });
  const config = {
    ...demoRawConfig,
    printing,
    stores: [
      { ...demo, printers: [printer("pa", "주방 프린터", a, ["kitchen"]), printer("pb", "바 프린터", b, ["bar"])] },
      { ...demo, id: "annex", name: "별관", printers: [printer("pc", "별관 주방", c, ["kitchen"], { backupPrinterId: "pd", failoverAfterFailures: 2 }), printer("pd", "별관 바", d, ["bar"])] },
    ],
  };
  const dataDir = tempDir("print");
  const configFile = writeConfig(dataDir, config);
  const server = await startServer({ dataDir, env: { CONFIG_FILE: configFile } });
  return { server, a, b, c, d, dataDir, configFile };
}

export async function stopPrintRig(rig: PrintRig): Promise<void> {
  await rig.server.stop();
  for (const e of [rig.a, rig.b, rig.c, rig.d]) await e.stop();
}

/** Slips of one ticket (the ticket id is printed at the bottom, possibly wrapped). */
export function slipsOf(emulator: PrinterEmulator, ticketId: string): StoredSlip[] {
  return emulator.slips().filter((s) => s.text.replace(/\s+/g, "").includes(ticketId));
}

export function isMarked(slip: StoredSlip): boolean {
  return /REPRINT|MAY BE DUPLICATE/.test(slip.text);
}

// Node 20 has no global WebSocket; the Colyseus SDK's reconnection reads it (as server/main.ts does).
import { WebSocket } from "ws";
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

import { PosClient } from "../clients/pos-client.ts";
import { PrinterEmulator } from "../printers/index.ts";
import { runConfirmLevel, type LevelResult } from "./confirm-load.ts";
import { runFanOut } from "./fan-out.ts";
import { runPrintingBench } from "./print-bench.ts";
import { RawBenchmark, type RawResult, type RawSlice } from "./raw-sqlite.ts";
import type { KitchenStateOutcome } from "./issue15.ts";
import { measureKitchenState } from "./kitchen-state.ts";
import {
  assembleResults, OutputPhases, printIssue15, printReport, summarizeServerOutput, writeResults,
  type FanOutOutcome, type PrintingOutcome, type RoomMemoryOutcome,
} from "./report.ts";
import { measureRoomMemory } from "./room-memory.ts";
import { printPaymentsReport } from "./payments-report.ts";
import { runPaymentsBench, type PaymentsOutcome } from "./payments-run.ts";
import { MetricsProbe, removeBenchDir, startBenchServer, stopBenchServer } from "./server-control.ts";
import { benchSettings, benchStore, tableId } from "./settings.ts";

/**
 * npm run bench: the real server as a child process at 1, 16 and 64 POS clients, with slices of
 * the raw SQLite ceiling before the first level and after each one (the server idle meanwhile),
 * then memory per open table room, then the kitchen fan-out and the kitchen state's size; then printing on a second server
 * whose printers are emulators in this process; then payments on servers of their own. See bench/README.md.
 */
async function main(): Promise<void> {
  const phases: { phase: string; chunks: string[] }[] = [];
  const confirm = await onConfirmServer(phases);
  console.log(`printing: raw sendJob ${benchSettings.printing.rawMs / 1000} s, then a server printing on emulators in this process …`);
  const printing: PrintingOutcome = await runPrintingBench((output) => phases.push({ phase: "printing server", chunks: [...output] }))
    .catch((error: unknown) => ({ error: errorText(error) }));
  if (!("error" in printing)) {
    const { throughput: t, latency: l, raw } = printing;
    console.log(`  ${t.slipsPerSecond} slips/s (raw ${raw.slipsPerSecond}), confirm → slip p50 ${l.toSlip.p50Ms} ms, p99 ${l.toSlip.p99Ms} ms (raw sendJob p50 ${raw.latency.p50Ms} ms, p99 ${raw.latency.p99Ms} ms)`);
  }
  // Issue #11: payments on servers of their own (bench/payments-run.ts); `npx tsx bench/payments.ts` runs it alone.
  const payments: PaymentsOutcome = await runPaymentsBench().catch((error: unknown) => ({ error: errorText(error) }));
  const results = { ...assembleResults(confirm.raw, confirm.levels, confirm.roomMemory, confirm.fanOut, printing, summarizeServerOutput(phases), confirm.kitchenState), payments };
  const file = writeResults(results);
  console.log(JSON.stringify(results, null, 2));
  printReport(results);
  printPaymentsReport(payments);
  printIssue15(results.issue15);
  console.log(`\nresults: ${file}`);
}

/** Everything on the first server: the confirm levels with their raw slices, room memory, the kitchen fan-out. */
async function onConfirmServer(phaseLog: { phase: string; chunks: string[] }[]) {
  const raw = await RawBenchmark.open();
  // The kitchen printers are emulators in this process, as in a restaurant the printer is its own
  // machine: the server's built-in emulator would decode every slip and fsync its journal on the
  // server's own event loop, and the print backlog would measure the emulator, not the server.
  const kitchen = new PrinterEmulator({ host: "127.0.0.1", port: 0 });
  const bar = new PrinterEmulator({ host: "127.0.0.1", port: 0 });
  await kitchen.start();
  await bar.start();
  const { server, dir } = await startBenchServer([
    { id: "pa", name: "주방 프린터", host: "127.0.0.1", port: kitchen.port, stationIds: ["kitchen"] },
    { id: "pb", name: "바 프린터", host: "127.0.0.1", port: bar.port, stationIds: ["bar"] },
  ]);
  const phases = new OutputPhases(server.output);
  try {
    const probe = await MetricsProbe.connect(server.endpoint);
    const staff = await PosClient.login(server.endpoint, benchStore.storeId, benchStore.staff.id, benchStore.staff.pin);
    const memoryTable = benchSettings.tableCount - benchSettings.roomMemoryRooms + 1;
    console.log(`room memory on the fresh server: ${benchSettings.roomMemoryRooms} table rooms …`);
    phases.begin("room memory, fresh");
    const freshMemory = await roomMemory("fresh server", staff, probe, memoryTable);
    printSlice(raw.slice("before 1 client"));
    const levels: LevelResult[] = [];
    let nextTable = 1;
    for (const clients of benchSettings.levels) {
      phases.begin(`${clients} clients`);
      console.log(`${clients} client(s): warm-up ${benchSettings.warmUpMs / 1000} s, measure ${benchSettings.measureMs / 1000} s …`);
      const level = await runConfirmLevel(server, probe, clients, nextTable);
      nextTable += clients;
      levels.push(level);
      console.log(`  ${level.confirmsPerSecond} confirms/s, p50 ${level.latency.p50Ms} ms, p99 ${level.latency.p99Ms} ms, errors ${level.errors.total}; ` +
        `${level.commitSplit.commitsPerConfirm} commits/confirm; unprinted ${level.printing.backlogAtEnd} at the end, ` +
        level.printing.unprintedAfter.map((c) => `${c.count ?? "?"} at +${c.seconds} s`).join(", "));
      printSlice(raw.slice(`after ${clients} client${clients === 1 ? "" : "s"}`));
    }
    const rawResult: RawResult = await raw.finish();
    console.log(`room memory after the levels: ${benchSettings.roomMemoryRooms} more table rooms …`);
    phases.begin("room memory, after");
    const afterMemory = await roomMemory("after the levels", staff, probe, memoryTable);
    const f = benchSettings.fanOut;
    console.log(`kitchen fan-out: ${f.posClients} POS clients, ${f.kitchenDisplays} KDS: warm-up ${f.warmUpMs / 1000} s, measure ${f.measureMs / 1000} s …`);
    phases.begin("kitchen fan-out");
    const fanOut: FanOutOutcome = await runFanOut(server, probe).catch((error: unknown) => ({ error: errorText(error) }));
    if (!("error" in fanOut)) console.log(`  fan-out p50 ${fanOut.latency.p50Ms} ms, p99 ${fanOut.latency.p99Ms} ms; WebSocket ping p99 ${fanOut.wsPingIdle.p99Ms} ms idle, ${fanOut.wsPingUnderLoad.p99Ms} ms under load`);
    const k = benchSettings.issue15.kitchen;
    console.log(`kitchen state: a fresh screen's full state after the fan-out, then ${k.bumps} tickets bumped on ${tableId(k.table)} …`);
    phases.begin("kitchen state");
    const kitchenState: KitchenStateOutcome = await measureKitchenState(server).catch((error: unknown) => ({ error: errorText(error) }));
    if (!("error" in kitchenState)) console.log(`  ${kitchenState.atBound.bytes} B after ${kitchenState.keep} bumps, ${kitchenState.afterBumps.bytes} B after ${kitchenState.bumps}`);
    phaseLog.push(...phases.split());
    const memory: { afterLevels: RoomMemoryOutcome; freshServer: RoomMemoryOutcome } = { afterLevels: afterMemory, freshServer: freshMemory };
    return { raw: rawResult, levels, roomMemory: memory, fanOut, kitchenState };
  } catch (error) {
    console.error(`benchmark failed; server output:\n${server.output.join("").slice(-4_000)}`);
    throw error;
  } finally {
    await stopBenchServer(server);
    await kitchen.stop();
    await bar.stop();
    removeBenchDir(dir);
  }
}

/** A failed memory measurement is reported, not fatal: the confirm numbers still stand. */
function roomMemory(when: string, staff: PosClient, probe: MetricsProbe, firstTable: number): Promise<RoomMemoryOutcome> {
  return measureRoomMemory(when, staff, probe, firstTable).catch((error: unknown) => ({ when, error: errorText(error) }));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function printSlice(slice: RawSlice): void {
  console.log(`raw better-sqlite3 (${slice.label}): ${slice.confirmsPerSecond} confirms/s, p50 ${slice.latency.p50Ms} ms, p99 ${slice.latency.p99Ms} ms`);
}

main().then(
  () => process.exit(0), // a FAIL verdict is a finding, not an error
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

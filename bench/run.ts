// Node 20 has no global WebSocket; the Colyseus SDK's reconnection reads it (as server/main.ts does).
import { WebSocket } from "ws";
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

import { PosClient } from "../clients/pos-client.ts";
import type { ServerProcess } from "../test/support/server-process.ts";
import { runConfirmLevel, type LevelResult } from "./confirm-load.ts";
import { RawBenchmark, type RawSlice } from "./raw-sqlite.ts";
import { assembleResults, OutputPhases, printReport, summarizeServerOutput, writeResults } from "./report.ts";
import { measureRoomMemory, type RoomMemoryResult } from "./room-memory.ts";
import { MetricsProbe, removeBenchDir, startBenchServer } from "./server-control.ts";
import { benchSettings, benchStore } from "./settings.ts";

/**
 * npm run bench: the real server as a child process at 1, 16 and 64 POS clients, with slices of
 * the raw SQLite ceiling before the first level and after each one (the server idle meanwhile),
 * then memory per open table room. See bench/README.md.
 */
async function main(): Promise<void> {
  const raw = await RawBenchmark.open();
  const { server, dir } = await startBenchServer();
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
      console.log(`  ${level.confirmsPerSecond} confirms/s, p50 ${level.latency.p50Ms} ms, p99 ${level.latency.p99Ms} ms, errors ${level.errors.total}`);
      printSlice(raw.slice(`after ${clients} client${clients === 1 ? "" : "s"}`));
    }
    const rawResult = await raw.finish();
    console.log(`room memory after the levels: ${benchSettings.roomMemoryRooms} more table rooms …`);
    phases.begin("room memory, after");
    const afterMemory = await roomMemory("after the levels", staff, probe, memoryTable);
    const results = assembleResults(rawResult, levels, { afterLevels: afterMemory, freshServer: freshMemory }, summarizeServerOutput(phases.split()));
    const file = writeResults(results);
    console.log(JSON.stringify(results, null, 2));
    printReport(results);
    console.log(`results: ${file}`);
  } catch (error) {
    console.error(`benchmark failed; server output:\n${server.output.join("").slice(-4_000)}`);
    throw error;
  } finally {
    await stopServer(server);
    removeBenchDir(dir);
  }
}

/** A failed memory measurement is reported, not fatal: the confirm numbers still stand. */
function roomMemory(when: string, staff: PosClient, probe: MetricsProbe, firstTable: number): Promise<RoomMemoryResult | { readonly when: string; readonly error: string }> {
  return measureRoomMemory(when, staff, probe, firstTable).catch((error: unknown) => ({ when, error: error instanceof Error ? error.message : String(error) }));
}

function printSlice(slice: RawSlice): void {
  console.log(`raw better-sqlite3 (${slice.label}): ${slice.confirmsPerSecond} confirms/s, p50 ${slice.latency.p50Ms} ms, p99 ${slice.latency.p99Ms} ms`);
}

async function stopServer(server: ServerProcess): Promise<void> {
  const killTimer = setTimeout(() => void server.kill(), 10_000);
  await server.stop();
  clearTimeout(killTimer);
}

main().then(
  () => process.exit(0), // a FAIL verdict is a finding, not an error
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

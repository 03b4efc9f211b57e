import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { login } from "../clients/pos-client.ts";
import { demoRawConfig } from "../server/config/index.ts";
import { startServer, tempDir, writeConfig, type ServerProcess } from "../test/support/server-process.ts";
import type { WriterStats } from "../storage/index.ts";
import { benchSettings, benchStore, tableId } from "./settings.ts";

/** A printer entry of the config (server/config/printers.ts); the bench's point at emulators on loopback. */
export interface BenchPrinter {
  readonly id: string;
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly stationIds: readonly string[];
}

/**
 * The demo store with T1..T130, so every benchmark client gets a table of its own. No printers:
 * the server prints on its built-in emulator; with printers, on those (and the `printing` defaults).
 */
export function benchConfig(printers: readonly BenchPrinter[] = []): unknown {
  const config = structuredClone(demoRawConfig);
  const store = config.stores[0]!;
  store.tables = Array.from({ length: benchSettings.tableCount }, (_, i) => ({ id: tableId(i + 1), name: `벤치 ${i + 1}` }));
  return printers.length === 0 ? config : { ...config, stores: [{ ...store, printers: printers.map((p) => ({ ...p, stationIds: [...p.stationIds] })) }] };
}

/**
 * The real server as a child process (`server/main.ts`), with the bench config and a fresh data
 * dir, both under one temp dir (`removeBenchDir` deletes it: a run leaves ~100 MB of SQLite).
 */
export async function startBenchServer(printers: readonly BenchPrinter[] = []): Promise<{ server: ServerProcess; dir: string }> {
  const dir = tempDir("bench-server");
  const configFile = writeConfig(dir, benchConfig(printers));
  const server = await startServer({ dataDir: join(dir, "data"), env: { CONFIG_FILE: configFile, LOG_LEVEL: "warn" } });
  return { server, dir };
}

/** SIGTERM and wait; SIGKILL if it has not exited after 10 s. */
export async function stopBenchServer(server: ServerProcess): Promise<void> {
  const killTimer = setTimeout(() => void server.kill(), 10_000);
  await server.stop();
  clearTimeout(killTimer);
}

/** Deletes a temp dir the bench made, unless BENCH_KEEP_DATA=1 asks to keep it for a look. */
export function removeBenchDir(dir: string): void {
  if (process.env.BENCH_KEEP_DATA === "1") return;
  if (!dir.startsWith(tmpdir())) throw new Error(`refusing to delete ${dir}: not a temp dir`);
  rmSync(dir, { recursive: true, force: true });
}

export interface ServerMetrics {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly rooms: number;
  readonly eventLoopDelayP50Ms: number;
  readonly eventLoopDelayP99Ms: number;
  readonly eventLoopDelayMaxMs: number;
  readonly writer: WriterStats;
}

/** GET /api/admin/metrics as admin; `reset` starts a new event-loop measuring window. */
export class MetricsProbe {
  private constructor(
    readonly endpoint: string,
    readonly token: string,
  ) {}

  static async connect(endpoint: string): Promise<MetricsProbe> {
    const session = await login(endpoint, benchStore.storeId, benchStore.admin.id, benchStore.admin.pin);
    return new MetricsProbe(endpoint, session.token);
  }

  async read(reset = false): Promise<ServerMetrics> {
    const response = await fetch(`${this.endpoint}/api/admin/metrics${reset ? "?reset=1" : ""}`, {
      headers: { authorization: `Bearer ${this.token}` },
      signal: AbortSignal.timeout(benchSettings.commandTimeoutMs),
    });
    const body = (await response.json()) as { ok: boolean; data?: ServerMetrics; error?: unknown };
    if (!body.ok || !body.data) throw new Error(`metrics refused: ${JSON.stringify(body.error)}`);
    return body.data;
  }
}

/** CPU time (user + system) a process has used, in ms, from /proc; undefined off Linux. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the ")" of the command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    const clockTicksPerSecond = 100; // USER_HZ on every Linux we run on
    return Number.isFinite(ticks) ? (ticks * 1000) / clockTicksPerSecond : undefined;
  } catch {
    return undefined;
  }
}

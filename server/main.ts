// Node 20 has no global WebSocket; Colyseus reconnection reads it (COLYSEUS.md gotcha 1).
import { WebSocket } from "ws";
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError, loadConfig } from "./config/index.ts";
import { PortInUseError, startApp } from "./app.ts";
import { DataDirInUseError, lockDataDir, type DataDirLock } from "./data-dir-lock.ts";
import { newInstanceId } from "./lease.ts";
import { systemClock } from "./clock.ts";
import { createLogger } from "./logger.ts";
import { jsonlSubscriber } from "./outbox-sinks.ts";
import { armCrashPoints } from "./crash-points.ts";

const log = createLogger();

/** How the process ends (README "Run"); 3 (printing lease lost) is exited in lease.ts. */
const exitCodes = { failed: 1, badSetting: 2, portInUse: 4, dataDirInUse: 5, shutdownForced: 6 } as const;
const shutdownDeadlineDefaultMs = 10_000;

async function main(): Promise<void> {
  let loaded;
  try {
    loaded = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(exitCodes.badSetting);
    }
    throw error;
  }
  armCrashPoints(process.env); // CRASH_AT / CRASH_AT_COUNT: test-only crash points (DESIGN.md §7)
  const port = portFrom("PORT", 2567);
  const emulatorPort = portFrom("PRINTER_EMULATOR_PORT", 0);
  const host = process.env.HOST ?? "0.0.0.0";
  const dataDir = resolve(process.env.DATA_DIR ?? "data");
  const shutdownDeadlineMs = positiveIntFrom("SHUTDOWN_DEADLINE_MS") ?? shutdownDeadlineDefaultMs;
  const redisUrl = process.env.REDIS_URL || undefined;
  const instanceId = newInstanceId();
  // Alone on the DATA_DIR unless every process shares presence through Redis (docs/DESIGN.md §13).
  let lock: DataDirLock;
  try {
    mkdirSync(dataDir, { recursive: true });
    lock = lockDataDir(dataDir, redisUrl ? "shared" : "exclusive", instanceId);
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    console.error(error.message);
    process.exit(exitCodes.dataDirInUse);
  }
  let app;
  try {
    app = await startApp({
      port,
      host,
      dataDir,
      config: loaded.config,
      clock: systemClock,
      log,
      authSecret: process.env.AUTH_SECRET,
      tokenTtlSeconds: Number(process.env.TOKEN_TTL_SECONDS ?? 12 * 3600),
      redisUrl,
      publicAddress: process.env.PUBLIC_ADDRESS,
      emulatorPort,
      corsOrigins: corsOriginsFrom("CORS_ORIGINS"),
      login: {
        trackedStaffMax: positiveIntFrom("LOGIN_TRACKED_MAX"),
        addressFailuresPerMinute: positiveIntFrom("LOGIN_ADDRESS_FAILURES_PER_MINUTE"),
      },
      trustProxy: trustProxyFrom("TRUST_PROXY"),
      inlineWriter: process.env.STORAGE_WRITER === "inline",
      subscribers: process.env.OUTBOX_JSONL ? [jsonlSubscriber(process.env.OUTBOX_JSONL)] : [],
      instanceId,
      exclusiveDataDir: lock.mode === "exclusive",
      retentionDays: positiveIntFrom("RETENTION_DAYS"),
      outboxParkAfterFailures: positiveIntFrom("OUTBOX_PARK_AFTER_FAILURES"),
      vanUrl: process.env.VAN_URL || undefined,
      paymentTimeoutMs: positiveIntFrom("PAYMENT_TIMEOUT_MS"),
      reconcileIntervalMs: positiveIntFrom("RECONCILE_INTERVAL_MS"),
      idleSweepIntervalMs: positiveIntFrom("IDLE_SWEEP_INTERVAL_MS"),
    });
  } catch (error) {
    if (!(error instanceof PortInUseError)) throw error;
    console.error(error.message);
    lock.release();
    process.exit(exitCodes.portInUse);
  }
  const stores = loaded.config.stores.map((s) => `${s.id} (${s.name}, ${s.tables.length} tables)`).join(", ");
  log.info(`config: ${loaded.source}; stores: ${stores}`);
  log.info(`data: ${app.databaseFile}`);
  for (const [storeId, emulator] of app.emulators) log.info(`printer emulator of store ${storeId} on 127.0.0.1:${emulator.port} (slips: GET /api/admin/printers/emulator/slips with an admin token of that store)`);
  // Tests and the kill harness read this line to learn the port; keep its shape (emulatorPort: the first store's).
  const emulatorPorts = Object.fromEntries([...app.emulators].map(([storeId, emulator]) => [storeId, emulator.port]));
  if (app.vanSimulator) log.info(`VAN simulator (no VAN_URL set) on ${app.vanSimulator.url}`);
  console.log(JSON.stringify({ event: "listening", port, host, database: app.databaseFile, emulatorPort: app.emulator?.port ?? null, emulatorPorts, instanceId, vanUrl: app.vanSimulator?.url ?? null }));
  log.info(`listening on ws://${host}:${port} (HTTP on the same port: POST /api/auth/login)`);
  // Drain within SHUTDOWN_DEADLINE_MS, then exit anyway (non-zero). A repeated signal does not cut
  // the drain short (a terminal, npm and tsx may each pass the same stop on); the deadline does.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return void log.info(`${signal}: already draining (${app.stopStage ?? "starting"})`);
    stopping = true;
    log.info(`${signal}: draining (at most ${shutdownDeadlineMs} ms)`);
    const deadline = setTimeout(() => {
      log.error(`shutdown: not drained within SHUTDOWN_DEADLINE_MS=${shutdownDeadlineMs} ms (still at: ${app.stopStage ?? "starting"}); exiting anyway`);
      process.exit(exitCodes.shutdownForced);
    }, shutdownDeadlineMs);
    app.stop().then(
      () => {
        clearTimeout(deadline);
        lock.release();
        process.exit(0);
      },
      (e) => {
        log.error("shutdown failed", e);
        process.exit(exitCodes.failed);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

/** A port from the environment, or the default; a bad value stops the start with its name. */
function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`${name} must be a port number (0-65535), got ${JSON.stringify(raw)}`);
    process.exit(exitCodes.badSetting);
  }
  return port;
}

/** A positive integer from the environment, or undefined (the built-in default); a bad value stops the start. */
function positiveIntFrom(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
    process.exit(exitCodes.badSetting);
  }
  return value;
}

/** Comma-separated exact origins (`https://pos.example.com`); empty = no cross-origin access. */
function corsOriginsFrom(name: string): string[] {
  const origins = (process.env[name] ?? "").split(",").map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    let valid = false;
    try {
      valid = new URL(origin).origin === origin;
    } catch {
      valid = false;
    }
    if (!valid) {
      console.error(`${name}: ${JSON.stringify(origin)} is not an exact origin like https://pos.example.com (scheme, host, optional port; no path or trailing slash)`);
      process.exit(exitCodes.badSetting);
    }
  }
  return origins;
}

/** Express "trust proxy": unset = none; "true"/"false", a hop count, or addresses/subnets ("loopback, 10.0.0.0/8"). */
function trustProxyFrom(name: string): boolean | number | string | undefined {
  const raw = (process.env[name] ?? "").trim();
  if (raw === "") return undefined;
  if (raw === "true" || raw === "false") return raw === "true";
  if (/^[0-9]+$/.test(raw)) return Number(raw);
  return raw;
}

main().catch((error) => {
  log.error("server failed to start", error);
  process.exit(exitCodes.failed);
});

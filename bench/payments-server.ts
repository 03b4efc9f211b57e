import { join } from "node:path";
import Database from "better-sqlite3";
import { demoRawConfig } from "../server/config/index.ts";
import { startServer, tempDir, writeConfig, type ServerProcess } from "../test/support/server-process.ts";
import { paymentsSettings } from "./payments-settings.ts";
import { tableId } from "./settings.ts";

/** The demo store with T1..T311: the payments tables come after those of the other steps. */
export function paymentsConfig(): unknown {
  const config = structuredClone(demoRawConfig);
  const store = config.stores[0]!;
  store.tables = Array.from({ length: paymentsSettings.tableCount }, (_, i) => ({ id: tableId(i + 1), name: `벤치 ${i + 1}` }));
  return config;
}

/** A temp dir holding the payments config; each server of the payments part gets its own data dir in it. */
export function paymentsDir(prefix: string): { dir: string; configFile: string } {
  const dir = tempDir(prefix);
  return { dir, configFile: writeConfig(dir, paymentsConfig()) };
}

/** `server/main.ts` as a child process with the payments config (LOG_LEVEL=warn, like the other steps). */
export function startPaymentsServer(configFile: string, dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  return startServer({ dataDir, env: { CONFIG_FILE: configFile, LOG_LEVEL: "warn", ...env } });
}

export function dataDirOf(dir: string): string {
  return join(dir, "data");
}

/** A read-only handle on a server's database (WAL: the server keeps writing meanwhile). */
export function readOnly(databaseFile: string): Database.Database {
  return new Database(databaseFile, { readonly: true, fileMustExist: true });
}

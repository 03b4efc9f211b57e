import { randomInt } from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";

const root = resolve(import.meta.dirname, "../..");

export interface ServerProcess {
  readonly port: number;
  readonly endpoint: string;
  readonly dataDir: string;
  readonly databaseFile: string;
  readonly child: ChildProcess;
  readonly output: string[];
  /** Settles when the process has exited and its output is read: its exit code, or the signal that ended it. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL: no shutdown hooks run, like a power cut for the process. */
  kill(): Promise<void>;
}

/**
 * Server ports for tests come from below the kernel's ephemeral range (32768+ on Linux), one slice
 * per test worker (TEST_WORKER, set by test/run.ts): a port-0 listener (an emulator, the VAN
 * simulator), an outgoing connection's source port or another worker's server can never take a
 * test server's port, not even while it is down between a kill -9 and its restart on that port.
 */
const testPorts = { first: 10_000, perWorker: 4_000, workers: 5, triesMax: 100 } as const;

/**
 * Ports browsers refuse to open (net::ERR_UNSAFE_PORT; Chromium's and Firefox's restricted lists)
 * that fall in the test range: the browser tests load pages from a test server's port.
 */
const browserUnsafePorts: ReadonlySet<number> = new Set([10080]);

export async function freePort(): Promise<number> {
  const worker = Number(process.env.TEST_WORKER ?? 0) % testPorts.workers;
  const base = testPorts.first + worker * testPorts.perWorker;
  for (let i = 0; i < testPorts.triesMax; i++) {
    const port = base + randomInt(testPorts.perWorker);
    if (browserUnsafePorts.has(port)) continue;
    if (await canListen(port)) return port;
  }
  throw new Error(`no free test port in ${base}..${base + testPorts.perWorker - 1}`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tss-${prefix}-`));
}

export function writeConfig(dir: string, config: unknown): string {
  const file = join(dir, "config.json");
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/**
 * Starts `server/main.ts` as a real child process and waits for its "listening" line. With
 * `waitForListening: false` it returns at once (a start expected to fail: await `exit`).
 */
export async function startServer(options: { dataDir?: string; port?: number; env?: Record<string, string>; waitForListening?: boolean } = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? tempDir("data");
  const port = options.port ?? (await freePort());
  // SERVER_NODE_ARGS lets a profiling run add flags such as --cpu-prof (not allowed in NODE_OPTIONS).
  const nodeArgs = (process.env.SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", join(root, "server/main.ts")], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "warn", AUTH_SECRET: "test-secret-test-secret-test-secret!", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  // "close": after the exit and after every byte of its output was read.
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once("close", (code, signal) => r({ code, signal })));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  if (options.waitForListening === false) {
    child.stdout!.on("data", (c: Buffer) => output.push(c.toString()));
    child.stderr!.on("data", (c: Buffer) => output.push(c.toString()));
  } else await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${output.join("")}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (chunk.toString().includes('"event":"listening"')) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (c: Buffer) => output.push(c.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code}:\n${output.join("")}`));
    });
  });
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    dataDir,
    databaseFile: join(dataDir, "table-session.sqlite"),
    child,
    output,
    exit,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Read-only look at the server's database from the test (WAL lets readers in while it writes). */
const countedTables = ["sessions", "session_events", "order_batches", "order_items", "kitchen_tickets", "outbox", "audit_log", "processed_commands"] as const;
export type RowCounts = Record<(typeof countedTables)[number], number>;

export function countRows(databaseFile: string): RowCounts {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    return Object.fromEntries(countedTables.map((t) => [t, db.prepare(`select count(*) from ${t}`).pluck().get() as number])) as RowCounts;
  } finally {
    db.close();
  }
}

export function query<T = Record<string, unknown>>(databaseFile: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Polls until the check passes or the time is up (state patches arrive asynchronously). */
export async function eventually(check: () => boolean, timeoutMs = 3_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

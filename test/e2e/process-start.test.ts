import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { freePort, query, startServer, tempDir, type ServerProcess } from "../support/server-process.ts";

// Two servers, one store (issue #10 item 4): a busy port, a shared DATA_DIR, lease holder ids.
// A Redis database of its own (two-processes.test.ts uses 7), emptied before each test that uses it.
const redisDb = 9;
const redisUrl = `redis://127.0.0.1:6379/${redisDb}`;

function flushRedis(): void {
  const flushed = spawnSync("redis-cli", ["-h", "127.0.0.1", "-p", "6379", "-n", String(redisDb), "flushdb"], { encoding: "utf8" });
  assert.is(flushed.stdout.trim(), "OK", `Redis must answer on 127.0.0.1:6379: ${flushed.stderr}`);
}

function redisEnv(host: string, port: number): Record<string, string> {
  return { REDIS_URL: redisUrl, PUBLIC_ADDRESS: `${host}:${port}` };
}

/** The exit of a start expected to fail; a process still running after the guard fails the test (and is killed). */
async function exitOf(server: ServerProcess, what: string, guardMs = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still running after ${guardMs} ms:\n${server.output.join("")}`)), guardMs);
  });
  try {
    return await Promise.race([server.exit, guard]);
  } finally {
    clearTimeout(timer);
    await server.kill();
  }
}

/** This process's lease holder id, from its "listening" line. */
function instanceIdOf(server: ServerProcess): string {
  const line = server.output.join("").split("\n").find((l) => l.includes('"event":"listening"'));
  const id = line ? (JSON.parse(line) as { instanceId?: unknown }).instanceId : undefined;
  assert.type(id, "string", `no instanceId in the listening line: ${line}`);
  return id as string;
}

function leaseRows(databaseFile: string): { name: string; holder: string; expires_at_ms: number }[] {
  return existsSync(databaseFile) ? query(databaseFile, "select name, holder, expires_at_ms from leases where name = 'printing'") : [];
}

async function readyOf(endpoint: string): Promise<{ status: number; body: { ok: boolean; data?: { printingLease: { held: boolean } }; error?: { code: string; details: { printingLease: { held: boolean } } } } }> {
  const response = await fetch(`${endpoint}/api/ready`);
  return { status: response.status, body: (await response.json()) as never };
}

async function occupy(port: number): Promise<Server> {
  const blocker = createServer();
  await new Promise<void>((resolve, reject) => {
    blocker.once("error", reject);
    blocker.listen(port, "127.0.0.1", () => resolve());
  });
  return blocker;
}

test("a busy port: the start exits non-zero with the reason, before any lease row is written", async () => {
  const port = await freePort();
  const blocker = await occupy(port);
  try {
    const server = await startServer({ port, waitForListening: false });
    const { code } = await exitOf(server, "a server on a busy port");
    const output = server.output.join("");
    assert.is(code, 4, output);
    assert.match(output, `port ${port} on 127.0.0.1 is already in use`);
    assert.equal(leaseRows(server.databaseFile), [], "no printing lease row");
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
});

test("with REDIS_URL, a second process on the first's port exits and never takes the printing lease", async () => {
  flushRedis();
  const dataDir = tempDir("busy-shared");
  const port = await freePort();
  const a = await startServer({ dataDir, port, env: redisEnv("127.0.0.1", port) });
  try {
    const b = await startServer({ dataDir, port, env: redisEnv("127.0.0.1", port), waitForListening: false });
    const { code } = await exitOf(b, "a second server on the first's port");
    assert.is(code, 4, b.output.join(""));
    assert.match(b.output.join(""), "already in use");
    assert.equal(leaseRows(a.databaseFile).map((r) => r.holder), [instanceIdOf(a)], "the lease is still the first process's alone");
    const ready = await readyOf(a.endpoint);
    assert.is(ready.status, 200);
    assert.is(ready.body.data?.printingLease.held, true);
  } finally {
    await a.stop();
  }
});

test("lease holder ids are per process: two processes with one port number (two addresses) never both hold the lease", async () => {
  flushRedis();
  const dataDir = tempDir("same-port");
  const port = await freePort();
  const a = await startServer({ dataDir, port, env: { ...redisEnv("127.0.0.1", port), HOST: "127.0.0.1", LOG_LEVEL: "info" } });
  const b = await startServer({ dataDir, port, env: { ...redisEnv("127.0.0.2", port), HOST: "127.0.0.2", LOG_LEVEL: "info" } });
  try {
    // Each logs when it takes the lease (both did when the holder id was host:port).
    const heldBy = [a, b].map((s) => s.output.join("").includes("lease printing: held by this process"));
    assert.equal(heldBy, [true, false], "only the first process holds the printing lease");
    const [idA, idB] = [instanceIdOf(a), instanceIdOf(b)];
    assert.is.not(idA, idB);
    const [readyA, readyB] = [await readyOf(a.endpoint), await readyOf(`http://127.0.0.2:${port}`)];
    assert.is(readyA.status, 200);
    assert.is(readyB.status, 200, "a process that does not print is still ready");
    assert.equal([readyA.body.data?.printingLease.held, readyB.body.data?.printingLease.held], [true, false]);
    assert.equal(leaseRows(a.databaseFile).map((r) => r.holder), [idA]);
  } finally {
    await b.stop();
    await a.stop();
  }
});

test("without REDIS_URL a second process on the same DATA_DIR is refused; after a kill -9 the next start takes the DATA_DIR and the lease at once", async () => {
  const dataDir = tempDir("alone");
  const first = await startServer({ dataDir });
  const second = await startServer({ dataDir, waitForListening: false });
  const { code } = await exitOf(second, "a second server on the same DATA_DIR");
  const message = second.output.join("");
  assert.is(code, 5, message);
  assert.match(message, `DATA_DIR ${dataDir} is already in use by another server process (pid ${first.child.pid} `);
  assert.match(message, "REDIS_URL");
  assert.equal(leaseRows(first.databaseFile).map((r) => r.holder), [instanceIdOf(first)], "the refused process wrote no lease");

  await first.kill(); // no shutdown hooks: the lease row stays, unexpired; the kernel drops the DATA_DIR lock
  const third = await startServer({ dataDir });
  try {
    const ready = await readyOf(third.endpoint);
    assert.is(ready.status, 200);
    assert.is(ready.body.data?.printingLease.held, true, "alone on the DATA_DIR, a dead run's lease is taken at once");
    assert.equal(leaseRows(third.databaseFile).map((r) => r.holder), [instanceIdOf(third)]);
  } finally {
    await third.stop();
  }
  assert.ok(leaseRows(third.databaseFile).every((r) => r.expires_at_ms < Date.now()), "a clean stop gives the lease back");
});

test("with REDIS_URL several processes share a DATA_DIR; one without REDIS_URL is refused beside them, and they beside it", async () => {
  flushRedis();
  const dataDir = tempDir("shared");
  const [portA, portB] = [await freePort(), await freePort()];
  const a = await startServer({ dataDir, port: portA, env: redisEnv("127.0.0.1", portA) });
  const b = await startServer({ dataDir, port: portB, env: redisEnv("127.0.0.1", portB) });
  try {
    const alone = await startServer({ dataDir, waitForListening: false });
    const { code } = await exitOf(alone, "a server without REDIS_URL beside shared ones");
    assert.is(code, 5, alone.output.join(""));
    assert.match(alone.output.join(""), `DATA_DIR ${dataDir} is already in use`);
    assert.is((await readyOf(a.endpoint)).status, 200);
    assert.is((await readyOf(b.endpoint)).status, 200);
  } finally {
    await b.stop();
    await a.stop();
  }

  const otherDir = tempDir("exclusive");
  const single = await startServer({ dataDir: otherDir });
  try {
    const port = await freePort();
    const shared = await startServer({ dataDir: otherDir, port, env: redisEnv("127.0.0.1", port), waitForListening: false });
    const { code } = await exitOf(shared, "a server with REDIS_URL beside one without");
    assert.is(code, 5, shared.output.join(""));
    assert.match(shared.output.join(""), `DATA_DIR ${otherDir} is in use by a server process running without REDIS_URL`);
  } finally {
    await single.stop();
  }
});

test.run();

import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadAuthSecret } from "../../server/auth.ts";
import { tempDir } from "../support/server-process.ts";

const root = resolve(import.meta.dirname, "../..");

interface Racer {
  /** Resolves once the child is spinning on the go file. */
  readonly ready: Promise<void>;
  readonly secret: Promise<string>;
}

/**
 * Loads the secret in a separate process once `go` exists. The child spins on the file (no
 * timer), so racers are released within microseconds of each other: the window in which two
 * could each publish a secret of their own is as wide as it gets.
 */
function racer(dataDir: string, go: string): Racer {
  const script = `import { existsSync } from "node:fs"; import { loadAuthSecret } from ${JSON.stringify(resolve(root, "server/auth.ts"))};
    process.stdout.write("ready;"); while (!existsSync(${JSON.stringify(go)})) {}
    process.stdout.write(Buffer.from(loadAuthSecret(${JSON.stringify(dataDir)}, undefined)).toString("hex"));`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  let markReady = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  child.stdout.on("data", (c: Buffer) => {
    out += c.toString();
    if (out.startsWith("ready;")) markReady();
  });
  const secret = new Promise<string>((done, fail) => child.once("exit", (code) => (code === 0 ? done(out.slice("ready;".length)) : fail(new Error(`exit ${code}`)))));
  return { ready, secret };
}

test("processes starting together on one data dir agree on one generated secret", async () => {
  for (let round = 0; round < 5; round++) {
    const base = tempDir("secret");
    const dataDir = join(base, "data");
    const go = join(base, "go");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dataDir);
    // Two racers: on a 2-core machine each spins on a core of its own.
    const racers = [racer(dataDir, go), racer(dataDir, go)];
    await Promise.all(racers.map((r) => r.ready));
    writeFileSync(go, "");
    const secrets = await Promise.all(racers.map((r) => r.secret));
    assert.is(new Set(secrets).size, 1, `round ${round}: ${secrets.join(" ")}`);
    assert.is(secrets[0]!.length, 64);
    assert.equal(readdirSync(dataDir), ["auth-secret"], "no candidate files left behind");
  }
});

test("the secret survives a restart, and AUTH_SECRET wins over the file", () => {
  const dir = tempDir("secret");
  const first = Buffer.from(loadAuthSecret(dir, undefined)).toString("hex");
  assert.is(Buffer.from(loadAuthSecret(dir, undefined)).toString("hex"), first);
  assert.is(new TextDecoder().decode(loadAuthSecret(dir, "x".repeat(40))), "x".repeat(40));
});

test.run();

import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { countRows, eventually, freePort, startServer, tempDir } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";

// A Redis database of its own, emptied first, so listings of earlier runs' dead processes don't interfere.
const redisDb = 7;
const redisUrl = `redis://127.0.0.1:6379/${redisDb}`;

test("two processes with Redis presence share one table room and one database", async () => {
  const flushed = spawnSync("redis-cli", ["-h", "127.0.0.1", "-p", "6379", "-n", String(redisDb), "flushdb"], { encoding: "utf8" });
  assert.is(flushed.stdout.trim(), "OK", `Redis must answer on 127.0.0.1:6379: ${flushed.stderr}`);
  const dataDir = tempDir("multi");
  const [portA, portB] = [await freePort(), await freePort()];
  const a = await startServer({ dataDir, port: portA, env: { REDIS_URL: redisUrl, PUBLIC_ADDRESS: `127.0.0.1:${portA}` } });
  const b = await startServer({ dataDir, port: portB, env: { REDIS_URL: redisUrl, PUBLIC_ADDRESS: `127.0.0.1:${portB}` } });
  try {
    const onA = await openTable(await staff(a), "T3");
    const onB = await (await staff(b, "s2", "2222")).joinTable("T3");
    assert.is(onB.room.roomId, onA.room.roomId, "the join through B lands in the room A created");
    const added = await onB.command("draft.add", { menuId: "jeyuk", quantity: 1 });
    assert.ok(added.ok, JSON.stringify(added));
    await eventually(() => onA.state.draft.size === 1, 3000, "draft from B visible on A");
    const confirmed = await onA.command("confirm", {});
    assert.ok(confirmed.ok, JSON.stringify(confirmed));
    assert.is(countRows(a.databaseFile).order_batches, 1);
    await onA.leave();
    await onB.leave();
  } finally {
    await a.stop();
    await b.stop();
  }
});

test.run();

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PosClient } from "../../clients/pos-client.ts";
import { countRows, startServer, tempDir, type ServerProcess } from "../support/server-process.ts";
import { openTable } from "../support/pos.ts";

/**
 * An offline client replaying a command issued before the idempotency window (RETENTION_DAYS) gets
 * IDEMPOTENCY_EXPIRED and nothing changes: the server may have pruned that cmdId, so executing it
 * could apply it twice. A fresh issuedAt executes, and a retry with the same issuedAt replays.
 */
const t = suite("issuedAt older than the idempotency window is refused with a typed code");
const dayMs = 24 * 60 * 60 * 1000;
let server: ServerProcess;

t.before(async () => {
  server = await startServer({ dataDir: tempDir("window"), env: { RETENTION_DAYS: "7" } });
});
t.after(async () => server.stop());

const lines = [{ menuId: "soju", quantity: 1 }];

t("an expired issuedAt is refused and changes nothing; a fresh one executes and replays", async () => {
  const table = await openTable(await PosClient.login(server.endpoint, "demo", "s1", "1111"), "T1");
  const before = countRows(server.databaseFile);
  for (const issuedAt of [Date.now() - 8 * dayMs, new Date(Date.now() - 8 * dayMs).toISOString()]) {
    const old = await table.command("confirm", { lines, issuedAt }, `offline-old-${typeof issuedAt}`);
    assert.is(!old.ok && old.error.code, "IDEMPOTENCY_EXPIRED", JSON.stringify(old));
    assert.equal(!old.ok && old.error.details, { windowDays: 7 });
  }
  assert.equal(countRows(server.databaseFile), before, "a refused command writes nothing");

  const issuedAt = new Date(Date.now() - 6 * dayMs).toISOString();
  const fresh = await table.command("confirm", { lines, issuedAt }, "offline-fresh-1");
  assert.ok(fresh.ok, JSON.stringify(fresh));
  const afterFresh = countRows(server.databaseFile);
  // The retry carries the same issuedAt: issuedAt is not part of the body hash, so it replays.
  const retry = await table.command("confirm", { lines, issuedAt }, "offline-fresh-1");
  assert.equal(retry, fresh, "the first reply, not CMD_ID_REUSED");
  // Without issuedAt the body is the same too.
  const bare = await table.command("confirm", { lines }, "offline-fresh-1");
  assert.equal(bare, fresh);
  assert.equal(countRows(server.databaseFile), afterFresh, "a replay writes nothing");

  const malformed = await table.command("confirm", { lines, issuedAt: "last tuesday" }, "offline-bad-1");
  assert.is(!malformed.ok && malformed.error.code, "BAD_REQUEST");
  await table.leave();
});

t.run();

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { demoRawConfig } from "../../server/config/index.ts";
import { PosClient, type TableConnection } from "../../clients/pos-client.ts";
import { joinKitchen } from "../../clients/kitchen-client.ts";
import { countRows, eventually, query, startServer, tempDir, writeConfig, type ServerProcess } from "../support/server-process.ts";
import { openTable } from "../support/pos.ts";

/**
 * Idempotency keys belong to the store and principal that sent them: another principal's use of
 * the same cmdId neither replays nor blocks theirs, before and after a restart (durable replies),
 * while the sender's own replay still gets its first reply and a changed body is still refused.
 */
const t = suite("idempotency keys are scoped to the sender's store and principal");
const secondStore = { ...demoRawConfig.stores[0]!, id: "gangnam", name: "강남점" };
let dataDir: string;
let env: Record<string, string>;
let server: ServerProcess;

t.before(async () => {
  dataDir = tempDir("scope");
  env = { CONFIG_FILE: writeConfig(dataDir, { ...demoRawConfig, stores: [...demoRawConfig.stores, secondStore] }) };
  server = await startServer({ dataDir, env });
});
t.after(async () => server.stop());

const lines = [{ menuId: "soju", quantity: 1 }];
const shared = "shared-key-000001";

async function login(storeId: string, staffId: string, pin: string) {
  return PosClient.login(server.endpoint, storeId, staffId, pin);
}

t("the same cmdId from another staff, another store and a kitchen screen each execute on their own", async () => {
  const s1 = await openTable(await login("demo", "s1", "1111"), "T1");
  const s2 = await openTable(await login("demo", "s2", "2222"), "T2");
  const foreign = await openTable(await login("gangnam", "s1", "1111"), "T1");
  const first = await s1.command("confirm", { lines }, shared);
  assert.ok(first.ok, JSON.stringify(first));
  // Another principal of the same store, same body in another table: not CMD_ID_REUSED, a batch of its own.
  const second = await s2.command("confirm", { lines }, shared);
  assert.ok(second.ok, JSON.stringify(second));
  const third = await foreign.command("confirm", { lines }, shared);
  assert.ok(third.ok, JSON.stringify(third));
  assert.is.not((second.data as { batchId: string }).batchId, (first.data as { batchId: string }).batchId);
  // A kitchen screen of the same store spends the same key on a kitchen action: its own refusal, not CMD_ID_REUSED.
  const kds = await joinKitchen(await login("demo", "k1", "5555"), "all");
  const bump = await kds.command("ticket.bump", { ticketId: "no-such-ticket" }, shared);
  assert.is(!bump.ok && bump.error.code, "NOT_FOUND");
  const rows = query<{ store_id: string; actor_id: string }>(server.databaseFile, "select store_id, actor_id from processed_commands where cmd_id = ? order by store_id, actor_id", shared);
  assert.equal(rows, [{ store_id: "demo", actor_id: "s1" }, { store_id: "demo", actor_id: "s2" }, { store_id: "gangnam", actor_id: "s1" }]);
  for (const c of [s1, s2, foreign]) await c.leave();
  await kds.room.leave();
});

t("the sender's own replay gets the first reply and a changed body is refused, in memory and after a restart", async () => {
  const check = async (table: TableConnection) => {
    const before = countRows(server.databaseFile);
    const replay = await table.command("confirm", { lines }, shared);
    assert.ok(replay.ok, JSON.stringify(replay));
    const changed = await table.command("confirm", { lines: [{ menuId: "soju", quantity: 2 }] }, shared);
    assert.is(!changed.ok && changed.error.code, "CMD_ID_REUSED");
    assert.equal(countRows(server.databaseFile), before, "a replay writes nothing");
    return replay;
  };
  const inMemory = await check(await (await login("demo", "s1", "1111")).joinTable("T1"));
  await server.stop();
  server = await startServer({ dataDir, env });
  const table = await (await login("demo", "s1", "1111")).joinTable("T1");
  const afterRestart = await check(table);
  assert.equal(afterRestart, inMemory, "the stored reply is the first reply");
  // And another principal's key is still untouched by all this.
  const s2 = await (await login("demo", "s2", "2222")).joinTable("T2");
  const replayOther = await s2.command("confirm", { lines }, shared);
  assert.ok(replayOther.ok, JSON.stringify(replayOther));
  await table.leave();
  await s2.leave();
});

t("a draft edit's reply cache is per principal too", async () => {
  const a = await (await login("demo", "s1", "1111")).joinTable("T3");
  const b = await (await login("demo", "s2", "2222")).joinTable("T3");
  const opened = await a.command("session.open", { guests: 2 });
  assert.ok(opened.ok, JSON.stringify(opened));
  const key = "draft-key-000001";
  const mine = await a.command("draft.add", { menuId: "cola", quantity: 1 }, key);
  const theirs = await b.command("draft.add", { menuId: "cola", quantity: 1 }, key);
  assert.ok(mine.ok && theirs.ok, JSON.stringify([mine, theirs]));
  // b sent last: its state has both patches before its reply (patch before reply to the sender).
  assert.is(b.state.draft.size, 2, "both lines were added: b's key was not a replay of a's");
  await eventually(() => a.state.draft.size === 2, 3000, "a sees both lines");
  const replay = await a.command("draft.add", { menuId: "cola", quantity: 1 }, key);
  assert.equal(replay, mine);
  assert.is(a.state.draft.size, 2, "a's replay added nothing");
  await a.leave();
  await b.leave();
});

t.run();

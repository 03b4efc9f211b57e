import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Client } from "@colyseus/sdk";
import { demoRawConfig } from "../../server/config/index.ts";
import { PosClient, type TableConnection } from "../../clients/pos-client.ts";
import { countRows, startServer, tempDir, writeConfig, type ServerProcess } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";
import { roomLimits } from "../../protocol/limits.ts";

const t = suite("table room: bad input gets a typed error and changes nothing");
let server: ServerProcess;
let table: TableConnection;

const secondStore = { ...demoRawConfig.stores[0]!, id: "gangnam", name: "강남점" };

t.before(async () => {
  const dir = tempDir("bad");
  const config = writeConfig(dir, { ...demoRawConfig, stores: [...demoRawConfig.stores, secondStore] });
  server = await startServer({ env: { CONFIG_FILE: config } });
  table = await openTable(await staff(server), "T1");
  const seeded = await table.command("confirm", { lines: [{ menuId: "soju", quantity: 1 }] });
  assert.ok(seeded.ok);
});
t.after(async () => {
  await table.room.leave();
  await server.stop();
});

async function expectRefused(fields: Record<string, unknown>, type: string, code: string) {
  const before = countRows(server.databaseFile);
  const reply = await table.command(type, fields);
  assert.is(reply.ok, false, `${type} ${JSON.stringify(fields)} should be refused`);
  if (!reply.ok) assert.is(reply.error.code, code, `${type}: ${JSON.stringify(reply.error)}`);
  assert.equal(countRows(server.databaseFile), before, `${type} must not write`);
}

t("unknown command types and unknown message types get UNKNOWN_COMMAND", async () => {
  await expectRefused({}, "order.teleport", "UNKNOWN_COMMAND");
  const reply = new Promise<{ ok: boolean; error: { code: string } }>((r) => table.room.onMessage("reply", r));
  table.room.send("no-such-message", { hello: 1 });
  const answer = await reply;
  assert.is(answer.ok, false);
  assert.is(answer.error.code, "UNKNOWN_COMMAND");
});

t("wrong field types and unknown fields get BAD_REQUEST", async () => {
  await expectRefused({ menuId: 5, quantity: "two" }, "draft.add", "BAD_REQUEST");
  await expectRefused({ menuId: "soju", quantity: 1.5 }, "draft.add", "BAD_REQUEST");
  await expectRefused({ menuId: "soju", quantity: 1, price: 1 }, "draft.add", "BAD_REQUEST");
  await expectRefused({ lines: "all" }, "confirm", "BAD_REQUEST");
});

t("a missing or malformed cmdId gets BAD_REQUEST", async () => {
  const noId = (await table.room.request("cmd", { type: "draft.clear" })) as { ok: boolean; error: { code: string } };
  assert.is(noId.error.code, "BAD_REQUEST");
  const shortId = await table.command("draft.clear", {}, "x");
  assert.is(!shortId.ok && shortId.error.code, "BAD_REQUEST");
  const notObject = (await table.room.request("cmd", "confirm")) as { ok: boolean; error: { code: string } };
  assert.is(notObject.error.code, "BAD_REQUEST");
});

t("negative, zero and absurd quantities get INVALID_QUANTITY", async () => {
  for (const quantity of [-1, 0, 100, 1_000_000_000]) {
    await expectRefused({ menuId: "soju", quantity }, "draft.add", "INVALID_QUANTITY");
    await expectRefused({ lines: [{ menuId: "soju", quantity }] }, "confirm", "INVALID_QUANTITY");
  }
});

t("unknown menu, sold-out menu and bad options are refused", async () => {
  await expectRefused({ menuId: "pizza", quantity: 1 }, "draft.add", "NOT_FOUND");
  await expectRefused({ lines: [{ menuId: "pizza", quantity: 1 }] }, "confirm", "NOT_FOUND");
  await expectRefused({ menuId: "special", quantity: 1 }, "draft.add", "SOLD_OUT");
  await expectRefused({ menuId: "kimchi-jjigae", quantity: 1 }, "draft.add", "INVALID_OPTIONS");
  await expectRefused({ menuId: "kimchi-jjigae", quantity: 1, optionIds: ["hot", "beer"] }, "draft.add", "INVALID_OPTIONS");
  await expectRefused({ itemId: "nope", reason: "x" }, "item.cancel", "NOT_FOUND");
  await expectRefused({ lineId: "nope" }, "draft.remove", "NOT_FOUND");
});

t("confirming an empty draft gets EMPTY_DRAFT", async () => {
  await table.command("draft.clear", {});
  await expectRefused({}, "confirm", "EMPTY_DRAFT");
});

t("a replayed cmdId with a different body gets CMD_ID_REUSED and changes nothing", async () => {
  const first = await table.command("confirm", { lines: [{ menuId: "cola", quantity: 1 }] }, "reuse-0000001");
  assert.ok(first.ok);
  const before = countRows(server.databaseFile);
  const reused = await table.command("confirm", { lines: [{ menuId: "cola", quantity: 9 }] }, "reuse-0000001");
  assert.is(!reused.ok && reused.error.code, "CMD_ID_REUSED");
  assert.equal(countRows(server.databaseFile), before);
});

t("a command over the command cap (but within a frame) gets PAYLOAD_TOO_LARGE and the room keeps serving", async () => {
  await expectRefused({ menuId: "soju", quantity: 1, note: "김".repeat(roomLimits.commandBytesMax / 3 + 100) }, "draft.add", "PAYLOAD_TOO_LARGE");
  const after = await table.command("draft.add", { menuId: "soju", quantity: 1 });
  assert.ok(after.ok, JSON.stringify(after));
  await table.command("draft.clear", {});
});

t("commands on a closed session get SESSION_CLOSED", async () => {
  const admin = await PosClient.login(server.endpoint, "demo", "a1", "9999");
  const other = await openTable(admin, "T9");
  const closed = await other.command("session.close", { reason: "테스트" });
  assert.ok(closed.ok, JSON.stringify(closed));
  const before = countRows(server.databaseFile);
  for (const [type, fields] of [["draft.add", { menuId: "soju", quantity: 1 }], ["confirm", { lines: [{ menuId: "soju", quantity: 1 }] }], ["session.close", {}]] as const) {
    const reply = await other.command(type, fields);
    assert.is(!reply.ok && reply.error.code, "SESSION_CLOSED", `${type}: ${JSON.stringify(reply)}`);
  }
  assert.equal(countRows(server.databaseFile), before);
  await other.leave();
});

t("joins without a token, with the wrong role, for another store or an unknown table are refused", async () => {
  const anonymous = new Client(server.endpoint);
  await rejects(anonymous.joinOrCreate("table", { storeId: "demo", tableId: "T1" }), 401, "UNAUTHORIZED");
  const forged = new Client(server.endpoint);
  forged.http.authToken = "eyJhbGciOiJIUzI1NiJ9.e30.bad";
  await rejects(forged.joinOrCreate("table", { storeId: "demo", tableId: "T1" }), 401, "UNAUTHORIZED");
  const kitchen = await PosClient.login(server.endpoint, "demo", "k1", "5555");
  await rejects(kitchen.sdk.joinOrCreate("table", { storeId: "demo", tableId: "T1" }), 403, "FORBIDDEN");
  const foreign = await PosClient.login(server.endpoint, "gangnam", "s1", "1111");
  await rejects(foreign.sdk.joinOrCreate("table", { storeId: "demo", tableId: "T1" }), 403, "FORBIDDEN");
  const pos = await staff(server);
  await rejects(pos.sdk.joinOrCreate("table", { storeId: "demo", tableId: "T999" }), 404, "NOT_FOUND");
  // The room that was already serving is unaffected.
  const ok = await table.command("draft.clear", {});
  assert.ok(ok.ok);
});

t("a wrong PIN gets UNAUTHORIZED and repeated guessing gets LOCKED", async () => {
  const attempt = async (pin: string) => {
    const response = await fetch(`${server.endpoint}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ storeId: "demo", staffId: "s2", pin }) });
    return { status: response.status, body: (await response.json()) as { error?: { code: string } } };
  };
  const wrong = await attempt("0000");
  assert.is(wrong.status, 401);
  assert.is(wrong.body.error?.code, "UNAUTHORIZED");
  for (let i = 0; i < 4; i++) await attempt("0000");
  const locked = await attempt("2222");
  assert.is(locked.status, 429);
  assert.is(locked.body.error?.code, "LOCKED");
});

async function rejects(promise: Promise<unknown>, status: number, code: string) {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: number; message?: string };
    assert.is(e.code, status, String(e.message));
    assert.ok(e.message?.startsWith(code), `message ${e.message} should start with ${code}`);
    return;
  }
  assert.unreachable(`join should have been refused with ${code}`);
}

t.run();

/**
 * The store's own policy (config `orders.qrOpensSession`): a store that opens sessions on a scan
 * does, the other store of the same server keeps refusing with NO_SESSION. Real server, no env flag.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { demoRawConfig } from "../../server/config/index.ts";
import { startServer, tempDir, writeConfig, type ServerProcess } from "../support/server-process.ts";
import { call, dataOf, outcomeOf, tokenOf, tokenOfLink } from "./support.ts";

const t = suite("QR: the store's policy decides whether a scan opens a session");

let server: ServerProcess;
t.before(async () => {
  const demo = demoRawConfig.stores[0]!;
  const config = { ...demoRawConfig, stores: [{ ...demo, orders: { qrOpensSession: true } }, { ...demo, id: "gangnam", name: "강남점" }] };
  server = await startServer({ env: { CONFIG_FILE: writeConfig(tempDir("qr-store-policy"), config) } });
});
t.after(async () => {
  await server?.stop();
});

async function scan(storeId: string, tableId: string) {
  const admin = await tokenOf(server, "a1", "9999", storeId);
  const link = dataOf(await call(server, "GET", `/api/tables/${tableId}/qr`, admin));
  return call(server, "POST", "/api/qr/session", undefined, { tableToken: tokenOfLink(link.url) });
}

t("demo (qrOpensSession) opens a session on a scan; gangnam (default) answers NO_SESSION", async () => {
  const opened = await scan("demo", "T3");
  assert.is(outcomeOf(opened), "ok 200");
  assert.match(dataOf(opened).sessionId, /^[0-9a-f-]{36}$/);
  assert.is(outcomeOf(await scan("gangnam", "T3")), "409 NO_SESSION");
});

t.run();

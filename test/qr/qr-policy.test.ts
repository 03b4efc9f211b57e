/**
 * QR_OPENS_SESSION=1: a scan at an empty table opens its session (once, however many phones scan
 * together); CUSTOMER_TOKEN_TTL_SECONDS and PUBLIC_URL shape the token and the link. Real server.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { decodeJwt } from "jose";
import type { TableConnection } from "../../clients/pos-client.ts";
import { eventually, query, startServer, type ServerProcess } from "../support/server-process.ts";
import { staff } from "../support/pos.ts";
import { call, dataOf, outcomeOf, tokenOf, tokenOfLink } from "./support.ts";

const t = suite("QR_OPENS_SESSION=1: a scan opens the table's session when none is live");

let server: ServerProcess;
let admin: string;
const rooms: TableConnection[] = [];

t.before(async () => {
  server = await startServer({ env: { QR_OPENS_SESSION: "1", CUSTOMER_TOKEN_TTL_SECONDS: "600", PUBLIC_URL: "https://order.example.com/shop/" } });
  admin = await tokenOf(server, "a1", "9999");
});
t.after(async () => {
  for (const room of rooms) await room.leave().catch(() => undefined);
  await server?.stop();
});

async function tokenFor(tableId: string): Promise<string> {
  const link = dataOf(await call(server, "GET", `/api/tables/${tableId}/qr`, admin));
  assert.ok(link.url.startsWith("https://order.example.com/shop/q/t1.demo."), link.url);
  return tokenOfLink(link.url);
}

const exchange = (tableToken: string) => call(server, "POST", "/api/qr/session", undefined, { tableToken });

t("a scan at a table with no session opens one, and the POS sees that very session", async () => {
  const answer = await exchange(await tokenFor("T4"));
  assert.is(outcomeOf(answer), "ok 200");
  const data = dataOf(answer);
  assert.match(data.sessionId, /^[0-9a-f-]{36}$/);
  const claims = decodeJwt(data.token);
  assert.is(claims.session, data.sessionId);
  assert.is(claims.exp! - claims.iat!, 600, "CUSTOMER_TOKEN_TTL_SECONDS");
  const table = await (await staff(server)).joinTable("T4");
  rooms.push(table);
  await eventually(() => table.state.sessionId === data.sessionId, 3_000, "the POS to show the QR-opened session");
  assert.is(table.state.status, "open");
  const audit = query<{ actor_id: string; actor_role: string; cmd_id: string }>(server.databaseFile, "select actor_id, actor_role, cmd_id from audit_log where session_id = ?", data.sessionId);
  assert.ok(audit.length >= 1);
  assert.is(audit[0]!.actor_id, "system:qr");
  assert.is(audit[0]!.actor_role, "system");
  assert.match(audit[0]!.cmd_id, /^qr-open#T4#[0-9a-f-]{36}$/);
  // The next scan joins the same session.
  assert.is(dataOf(await exchange(await tokenFor("T4"))).sessionId, data.sessionId);
});

t("phones scanning an empty table together all land in one session", async () => {
  const token = await tokenFor("T6");
  const answers = await Promise.all(Array.from({ length: 6 }, () => exchange(token)));
  assert.equal(answers.map(outcomeOf), Array(6).fill("ok 200"));
  const sessionIds = new Set(answers.map((a) => dataOf(a).sessionId));
  assert.is(sessionIds.size, 1);
  const rows = query<{ session_id: string; status: string }>(server.databaseFile, "select session_id, status from sessions where store_id = 'demo' and table_id = 'T6'");
  assert.equal(rows, [{ session_id: [...sessionIds][0]!, status: "open" }]);
});

t.run();

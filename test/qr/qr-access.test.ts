/**
 * QR access (issue 12, item 1): table links for admins, their exchange for a customer token bound
 * to the table's live session, the refusals, rotation, and the token dying with its session.
 * Real server process, real POS client.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import Database from "better-sqlite3";
import { decodeJwt } from "jose";
import { demoRawConfig } from "../../server/config/index.ts";
import { verifyAuditChain } from "../../storage/index.ts";
import { signTableToken } from "../../server/qr/index.ts";
import { PosClient, type TableConnection } from "../../clients/pos-client.ts";
import { query, startServer, tempDir, writeConfig, type ServerProcess } from "../support/server-process.ts";
import { staff } from "../support/pos.ts";
import { call, dataOf, expectedModules, flipMacBit, outcomeOf, pngSize, svgModules, tokenOf, tokenOfLink } from "./support.ts";

const t = suite("QR access: signed table links exchange for a customer token of the table's live session");

const oddName = `<창가> & "2"`;
const demoTables = demoRawConfig.stores[0]!.tables;
const gangnam = {
  ...demoRawConfig.stores[0]!,
  id: "gangnam",
  name: "강남점",
  tables: demoTables.map((table) => (table.id === "T2" ? { ...table, name: oddName } : table)),
};

let server: ServerProcess;
let admin: string;
let staffToken: string;
let otherAdmin: string;
let pos: PosClient;
const tables = new Map<string, TableConnection>();

t.before(async () => {
  const dir = tempDir("qr");
  const config = writeConfig(dir, { ...demoRawConfig, stores: [...demoRawConfig.stores, gangnam] });
  // TRUST_PROXY: each exchange speaks from its own address, so the refusals this file provokes on
  // purpose never add up to the per-address limit (qr-rate-limit.test.ts tests that limit).
  server = await startServer({ env: { CONFIG_FILE: config, TRUST_PROXY: "loopback" } });
  admin = await tokenOf(server, "a1", "9999");
  staffToken = await tokenOf(server, "s1", "1111");
  otherAdmin = await tokenOf(server, "a1", "9999", "gangnam");
  pos = await staff(server);
});
t.after(async () => {
  for (const table of tables.values()) await table.leave().catch(() => undefined);
  await server?.stop();
});

/** Joins the table (once) and opens a session; its id. */
async function openSession(tableId: string): Promise<string> {
  const table = tables.get(tableId) ?? (await pos.joinTable(tableId));
  tables.set(tableId, table);
  const reply = await table.command<{ sessionId: string }>("session.open", { guests: 2 });
  if (!reply.ok) throw new Error(`open ${tableId}: ${JSON.stringify(reply.error)}`);
  return reply.data.sessionId;
}

async function closeSession(tableId: string): Promise<void> {
  const reply = await tables.get(tableId)!.command("session.close", { reason: "테스트" });
  if (!reply.ok) throw new Error(`close ${tableId}: ${JSON.stringify(reply.error)}`);
}

async function linkOf(tableId: string, token = admin, storeId?: string): Promise<{ tableId: string; tableName: string; url: string; svg: string }> {
  return dataOf(await call(server, "GET", `/api/tables/${tableId}/qr${storeId ? `?storeId=${storeId}` : ""}`, token));
}

/** The store's current QR secret, read from the server's database (the test signs with it). */
function secretOf(storeId: string): { secret: Buffer; version: number } {
  const [row] = query<{ secret: string; version: number }>(server.databaseFile, "select secret, version from qr_secrets where store_id = ?", storeId);
  if (!row) throw new Error(`no qr secret for ${storeId}`);
  return { secret: Buffer.from(row.secret, "hex"), version: row.version };
}

let addresses = 0;
const exchange = (tableToken: unknown) => call(server, "POST", "/api/qr/session", undefined, { tableToken }, { "x-forwarded-for": `10.${(++addresses >> 8) & 255}.${addresses & 255}.1` });

t("an admin's QR link exchanges for a customer token bound to that store, table and live session", async () => {
  const sessionId = await openSession("T1");
  const link = await linkOf("T1");
  assert.is(link.tableId, "T1");
  assert.is(link.tableName, "1번 테이블");
  assert.ok(link.url.startsWith(`${server.endpoint}/q/`), link.url);
  const answer = await exchange(tokenOfLink(link.url));
  assert.is(outcomeOf(answer), "ok 200");
  assert.is(answer.headers.get("cache-control"), "no-store");
  const data = dataOf(answer);
  assert.equal({ storeId: data.storeId, tableId: data.tableId, tableName: data.tableName, sessionId: data.sessionId }, { storeId: "demo", tableId: "T1", tableName: "1번 테이블", sessionId });
  assert.match(data.customerId, /^cust-[0-9a-f-]{36}$/);
  const claims = decodeJwt(data.token);
  assert.equal({ sub: claims.sub, store: claims.store, role: claims.role, name: claims.name, table: claims.table, session: claims.session }, {
    sub: data.customerId, store: "demo", role: "customer", name: "손님", table: "T1", session: sessionId,
  });
  // Short-lived: CUSTOMER_TOKEN_TTL_SECONDS defaults to 3 h.
  assert.is(claims.exp! - claims.iat!, 3 * 3600);
  assert.is(new Date(claims.exp! * 1000).toISOString(), data.expiresAt);
  // Each scan is its own customer (each phone its own cart).
  const second = dataOf(await exchange(tokenOfLink(link.url)));
  assert.is.not(second.customerId, data.customerId);
  assert.is(second.sessionId, sessionId);
});

t("a forged table token (one bit flipped, another table's or version's MAC) is refused 401", async () => {
  const token = tokenOfLink((await linkOf("T1")).url);
  assert.is(outcomeOf(await exchange(token)), "ok 200");
  for (const bit of [0, 100, 255]) assert.is(outcomeOf(await exchange(flipMacBit(token, bit))), "401 UNAUTHORIZED", `bit ${bit}`);
  const [head, store, , version, mac] = token.split(".");
  assert.is(outcomeOf(await exchange([head, store, "T2", version, mac].join("."))), "401 UNAUTHORIZED", "T1's MAC on T2");
  assert.is(outcomeOf(await exchange([head, store, "T1", "2", mac].join("."))), "401 UNAUTHORIZED", "another version");
  assert.is(outcomeOf(await exchange([head, "nowhere", "T1", version, mac].join("."))), "401 UNAUTHORIZED", "unknown store");
  assert.is(outcomeOf(await exchange([head, store, "T404", version, mac].join("."))), "401 UNAUTHORIZED", "unknown table");
  assert.is(outcomeOf(await exchange(`${token}x`)), "401 UNAUTHORIZED", "not a token");
});

t("a rightly signed token of a table no longer in the config is refused 401", async () => {
  // What a sticker of a table removed from the config since printing carries: signed by the
  // store's real secret (read from the database here), naming a table the store no longer has.
  const { secret, version } = secretOf("demo");
  assert.is(outcomeOf(await exchange(signTableToken({ storeId: "demo", tableId: "T1", version }, secret))), "ok 200", "the test signs as the server does");
  assert.is(outcomeOf(await exchange(signTableToken({ storeId: "demo", tableId: "T404", version }, secret))), "401 UNAUTHORIZED");
});

t("another store's table token is refused 401 at this store, and works at its own", async () => {
  const foreign = tokenOfLink((await linkOf("T1", otherAdmin)).url);
  assert.ok(foreign.startsWith("t1.gangnam.T1."), foreign);
  const parts = foreign.split(".");
  parts[1] = "demo";
  assert.is(outcomeOf(await exchange(parts.join("."))), "401 UNAUTHORIZED");
  // At gangnam itself nobody is seated: the token is good, the table is not open.
  assert.is(outcomeOf(await exchange(foreign)), "409 NO_SESSION");
});

t("a malformed exchange body is refused 400 BAD_REQUEST", async () => {
  const token = tokenOfLink((await linkOf("T1")).url);
  assert.is(outcomeOf(await exchange(token)), "ok 200");
  for (const body of [{}, { tableToken: 7 }, { tableToken: "" }, { tableToken: "x".repeat(161) }, { tableToken: token, extra: 1 }, [token], "t1"]) {
    assert.is(outcomeOf(await call(server, "POST", "/api/qr/session", undefined, body)), "400 BAD_REQUEST", JSON.stringify(body));
  }
});

t("with no live session (default policy) the exchange answers 409 NO_SESSION and opens nothing", async () => {
  const token = tokenOfLink((await linkOf("T5")).url);
  const answer = await exchange(token);
  assert.is(outcomeOf(answer), "409 NO_SESSION");
  assert.equal(query(server.databaseFile, "select session_id from sessions where store_id = 'demo' and table_id = 'T5'"), []);
});

t("admin routes refuse staff and customers (403), no token (401), and another store's admin (403)", async () => {
  await openSession("T3");
  const customer = dataOf(await exchange(tokenOfLink((await linkOf("T3")).url))).token;
  const routes: [("GET" | "POST"), string, unknown?][] = [
    ["GET", "/api/tables/T1/qr"], ["GET", "/api/tables/T1/qr?format=svg"], ["GET", "/api/tables/T1/qr?format=png"], ["GET", "/api/tables/qr-sheet"], ["POST", "/api/admin/qr/rotate", {}],
  ];
  for (const [method, path, body] of routes) {
    assert.is(outcomeOf(await call(server, method, path, staffToken, body)), "403 FORBIDDEN", `staff ${method} ${path}`);
    assert.is(outcomeOf(await call(server, method, path, customer, body)), "403 FORBIDDEN", `customer ${method} ${path}`);
    assert.is(outcomeOf(await call(server, method, path, undefined, body)), "401 UNAUTHORIZED", `no token ${method} ${path}`);
  }
  for (const [method, path] of [["GET", "/api/tables/T1/qr?storeId=demo"], ["GET", "/api/tables/qr-sheet?storeId=demo"], ["POST", "/api/admin/qr/rotate"]] as const) {
    assert.is(outcomeOf(await call(server, method, path, otherAdmin, method === "POST" ? { storeId: "demo" } : undefined)), "403 FORBIDDEN", `gangnam admin ${method} ${path}`);
  }
  assert.equal(query(server.databaseFile, "select count(*) as n from audit_log where action = 'qr.rotate'"), [{ n: 0 }], "no refused rotation went through");
  assert.is(outcomeOf(await call(server, "GET", "/api/tables/T404/qr", admin)), "404 NOT_FOUND");
  assert.is(outcomeOf(await call(server, "GET", "/api/tables/T1/qr?format=gif", admin)), "400 BAD_REQUEST");
});

t("the SVG is an SVG document of the link, the PNG a PNG image", async () => {
  const link = await linkOf("T1");
  const inJson = svgModules(link.svg);
  assert.equal(inJson, expectedModules(link.url), "the JSON's SVG encodes its url");
  const svg = await call(server, "GET", "/api/tables/T1/qr?format=svg", admin);
  assert.is(svg.status, 200);
  assert.match(svg.contentType, /^image\/svg\+xml/);
  assert.equal(svgModules(svg.text), expectedModules(link.url), "format=svg encodes the same link");
  const png = await call(server, "GET", "/api/tables/T1/qr?format=png", admin);
  assert.is(png.status, 200);
  assert.is(png.contentType, "image/png");
  assert.equal(pngSize(png.bytes), { width: 512, height: 512 });
  assert.is(png.headers.get("cache-control"), "no-store");
});

t("the printable sheet lists every table of the store, with its code and its name escaped", async () => {
  const sheet = await call(server, "GET", "/api/tables/qr-sheet", admin);
  assert.is(sheet.status, 200);
  assert.match(sheet.contentType, /^text\/html/);
  const links = [...sheet.text.matchAll(/<small>([^<]*)<\/small>/g)].map((m) => m[1]!);
  assert.is(links.length, demoTables.length);
  assert.is([...sheet.text.matchAll(/<svg /g)].length, demoTables.length);
  for (const table of demoTables) {
    assert.ok(sheet.text.includes(`<strong>${table.name}</strong>`), table.name);
    assert.ok(links.some((url) => tokenOfLink(url).startsWith(`t1.demo.${table.id}.`)), table.id);
  }
  // A link from the sheet is as good as one from the table route.
  const t1 = links.find((url) => tokenOfLink(url).startsWith("t1.demo.T1."))!;
  assert.is(outcomeOf(await exchange(tokenOfLink(t1))), "ok 200");
  const foreign = await call(server, "GET", "/api/tables/qr-sheet", otherAdmin);
  assert.ok(foreign.text.includes("<strong>&lt;창가&gt; &amp; &quot;2&quot;</strong>"), "the odd name is escaped");
  assert.not.ok(foreign.text.includes(oddName), "the raw name never appears");
  assert.ok(foreign.text.includes("강남점 테이블 QR 코드"));
});

t("a customer token dies when its session closes, and stays dead at the table's next session", async () => {
  const first = await openSession("T2");
  const customer = dataOf(await exchange(tokenOfLink((await linkOf("T2")).url)));
  assert.is(customer.sessionId, first);
  const alive = await call(server, "GET", "/api/qr/session", customer.token);
  assert.is(outcomeOf(alive), "ok 200");
  assert.equal(dataOf(alive), { storeId: "demo", tableId: "T2", tableName: "2번 테이블", sessionId: first, customerId: customer.customerId });
  await closeSession("T2");
  assert.is(outcomeOf(await call(server, "GET", "/api/qr/session", customer.token)), "401 SESSION_OVER");
  assert.is(outcomeOf(await exchange(tokenOfLink((await linkOf("T2")).url))), "409 NO_SESSION");
  const second = await openSession("T2");
  assert.is.not(second, first);
  assert.is(outcomeOf(await call(server, "GET", "/api/qr/session", customer.token)), "401 SESSION_OVER", "a new session does not revive it");
  const next = dataOf(await exchange(tokenOfLink((await linkOf("T2")).url)));
  assert.is(next.sessionId, second);
  assert.is(outcomeOf(await call(server, "GET", "/api/qr/session", next.token)), "ok 200");
  // Only customer tokens: staff have no QR session.
  assert.is(outcomeOf(await call(server, "GET", "/api/qr/session", staffToken)), "403 FORBIDDEN");
});

t("rotating the secret kills every old link at once, audited in the chain; new links work", async () => {
  const old = tokenOfLink((await linkOf("T1")).url);
  assert.is(outcomeOf(await exchange(old)), "ok 200");
  const before = secretOf("demo");
  const rotated = await call(server, "POST", "/api/admin/qr/rotate", admin, { reason: "스티커 분실" });
  assert.is(outcomeOf(rotated), "ok 200");
  assert.equal({ storeId: dataOf(rotated).storeId, version: dataOf(rotated).version, previousVersion: dataOf(rotated).previousVersion }, { storeId: "demo", version: 2, previousVersion: 1 });
  assert.is(outcomeOf(await exchange(old)), "401 UNAUTHORIZED");
  const fresh = tokenOfLink((await linkOf("T1")).url);
  assert.ok(fresh.startsWith("t1.demo.T1.2."), fresh);
  assert.is(outcomeOf(await exchange(fresh)), "ok 200");
  const after = secretOf("demo");
  assert.is(after.version, 2);
  assert.not.ok(after.secret.equals(before.secret), "a new secret, not only a new number");
  // Only the current version opens: the new secret under the old number is refused too.
  assert.is(outcomeOf(await exchange(signTableToken({ storeId: "demo", tableId: "T1", version: 1 }, after.secret))), "401 UNAUTHORIZED");
  // The old MAC under the new version number is still a forgery.
  const parts = old.split(".");
  parts[3] = "2";
  assert.is(outcomeOf(await exchange(parts.join("."))), "401 UNAUTHORIZED");
  // Another store's links are not touched.
  const foreign = tokenOfLink((await linkOf("T1", otherAdmin)).url);
  assert.ok(foreign.startsWith("t1.gangnam.T1.1."), foreign);
  const audit = query<{ actor_id: string; before: string; after: string; reason: string; entity_id: string }>(server.databaseFile, "select actor_id, entity_id, before, after, reason from audit_log where action = 'qr.rotate'");
  assert.equal(audit, [{ actor_id: "a1", entity_id: "demo", before: '{"version":1}', after: '{"version":2}', reason: "스티커 분실" }]);
  const db = new Database(server.databaseFile, { readonly: true, fileMustExist: true });
  try {
    assert.ok(verifyAuditChain(db).ok, "the rotation row is chained");
    assert.not.ok(JSON.stringify(db.prepare("select * from audit_log").all()).includes((db.prepare("select secret from qr_secrets where store_id = 'demo'").pluck().get() as string)), "the secret is never audited");
  } finally {
    db.close();
  }
});

t.run();

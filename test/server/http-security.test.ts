import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Agent, request as httpRequest } from "node:http";
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { Client } from "@colyseus/sdk";
import { demoRawConfig } from "../../server/config/index.ts";
import { PosClient } from "../../clients/pos-client.ts";
import { startServer, tempDir, writeConfig, type ServerProcess } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";

// Issue #9: login lockout and limits, token expiry, security headers, body-parser errors, CORS,
// the matchmake body limit and per-store printer emulators. Real child-process servers, real HTTP.
const t = suite("http security");

const secret = "test-secret-test-secret-test-secret!";
const issuer = "table-session-server";
const allowedOrigin = "https://pos.example.com";
const secondStore = { ...demoRawConfig.stores[0]!, id: "gangnam", name: "강남점" };

/** Two stores (both with no printer, so each gets an emulator), a CORS allow-list, a roomy per-address limit. */
let main: ServerProcess;
/** A small failure tracker (LOGIN_TRACKED_MAX) so a flood fills it quickly. */
let flood: ServerProcess;
/** The default login limits. */
let limited: ServerProcess;

t.before(async () => {
  const config = writeConfig(tempDir("sec"), { ...demoRawConfig, stores: [...demoRawConfig.stores, secondStore] });
  [main, flood, limited] = await Promise.all([
    startServer({ env: { CONFIG_FILE: config, CORS_ORIGINS: `${allowedOrigin}, http://localhost:5173`, LOGIN_ADDRESS_FAILURES_PER_MINUTE: "1000" } }),
    startServer({ env: { LOGIN_TRACKED_MAX: "100", LOGIN_ADDRESS_FAILURES_PER_MINUTE: "1000000" } }),
    startServer(),
  ]);
});
t.after(async () => {
  await Promise.all([main?.stop(), flood?.stop(), limited?.stop()]);
});

interface Answer {
  status: number;
  headers: Headers;
  body: { ok?: boolean; error?: { code: string; message: string; details?: { retryAfterMs?: number } } };
}

async function login(server: ServerProcess, storeId: string, staffId: string, pin: string): Promise<Answer> {
  const response = await fetch(`${server.endpoint}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ storeId, staffId, pin }) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer["body"] };
}

async function get(server: ServerProcess, path: string, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(`${server.endpoint}${path}`, { headers });
  await response.arrayBuffer();
  return response;
}

/** A token signed with the server's secret, with the claims given (no exp unless `exp` is passed). */
async function signToken(claims: { exp?: number; staffId?: string; storeId?: string; role?: string }): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ store: claims.storeId ?? "demo", role: claims.role ?? "staff", name: "직원1" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.staffId ?? "s1")
    .setIssuer(issuer)
    .setIssuedAt(iat);
  if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
  return jwt.sign(new TextEncoder().encode(secret));
}

async function rejects(promise: Promise<unknown>, status: number, code: string): Promise<void> {
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Raw HTTP POST (no fetch URL normalisation), body streamed in 64 KiB chunks; a reset counts as an answer. */
function rawPost(server: ServerProcess, path: string, body: Buffer, headers: Record<string, string | number>): Promise<{ status: number | "reset"; text: string }> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: "127.0.0.1", port: server.port, method: "POST", path, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      res.on("error", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", () => resolve({ status: "reset", text: "" }));
    for (let offset = 0; offset < body.length; offset += 65_536) req.write(body.subarray(offset, offset + 65_536));
    req.end();
  });
}

t("answers carry security headers and no X-Powered-By, and JSON answers still parse", async () => {
  const response = await fetch(`${main.endpoint}/api/health`);
  assert.is(response.status, 200);
  assert.is(response.headers.get("x-powered-by"), null);
  assert.is(response.headers.get("x-content-type-options"), "nosniff");
  assert.ok(response.headers.get("content-security-policy"), "helmet sets a CSP");
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  const body = (await response.json()) as { ok: boolean };
  assert.is(body.ok, true);
  const notFound = await get(main, "/api/nope");
  assert.is(notFound.headers.get("x-powered-by"), null);
});

t("an unsupported charset or content-encoding gets 415 UNSUPPORTED_MEDIA_TYPE; other body errors stay typed", async () => {
  const post = async (headers: Record<string, string>, body: string) => {
    const response = await fetch(`${main.endpoint}/api/auth/login`, { method: "POST", headers, body });
    return { status: response.status, body: (await response.json()) as Answer["body"] };
  };
  const credentials = JSON.stringify({ storeId: "demo", staffId: "s1", pin: "1111" });
  const charset = await post({ "content-type": "application/json; charset=latin9" }, credentials);
  assert.is(charset.status, 415);
  assert.is(charset.body.ok, false);
  assert.is(charset.body.error?.code, "UNSUPPORTED_MEDIA_TYPE");
  assert.type(charset.body.error?.message, "string");
  const encoding = await post({ "content-type": "application/json", "content-encoding": "x-made-up" }, credentials);
  assert.is(encoding.status, 415);
  assert.is(encoding.body.error?.code, "UNSUPPORTED_MEDIA_TYPE");
  const malformed = await post({ "content-type": "application/json" }, "{not json");
  assert.is(malformed.status, 400);
  assert.is(malformed.body.error?.code, "BAD_REQUEST");
  const large = await post({ "content-type": "application/json" }, JSON.stringify({ pad: "x".repeat(64 * 1024) }));
  assert.is(large.status, 413);
  assert.is(large.body.error?.code, "PAYLOAD_TOO_LARGE");
});

t("tokens must carry a live expiry: no exp or an expired exp is refused over HTTP and at a room join", async () => {
  const farFuture = Math.floor(Date.now() / 1000) + 3600;
  const withExp = await signToken({ exp: farFuture });
  const control = await get(main, "/api/stores/demo/menu", { authorization: `Bearer ${withExp}` });
  assert.is(control.status, 200, "the hand-signed token is otherwise valid");
  const good = new Client(main.endpoint);
  good.http.authToken = withExp;
  const room = await good.joinOrCreate("table", { storeId: "demo", tableId: "T1" });
  await room.leave();

  const noExp = await signToken({});
  const expired = await signToken({ exp: Math.floor(Date.now() / 1000) - 60 });
  for (const [what, token] of [["no exp", noExp], ["expired", expired]] as const) {
    for (const path of ["/api/stores/demo/menu", "/api/kitchen/tickets"]) {
      const refused = await fetch(`${main.endpoint}${path}`, { headers: { authorization: `Bearer ${token}` } });
      assert.is(refused.status, 401, `${what} on ${path}`);
      const body = (await refused.json()) as Answer["body"];
      assert.is(body.error?.code, "UNAUTHORIZED", `${what} on ${path}`);
      if (what === "expired") assert.is(body.error?.message, "token expired");
    }
    const sdk = new Client(main.endpoint);
    sdk.http.authToken = token;
    await rejects(sdk.joinOrCreate("table", { storeId: "demo", tableId: "T1" }), 401, "UNAUTHORIZED");
  }
});

t("CORS: an unlisted Origin gets no Access-Control-Allow-Origin on /matchmake and /api; a listed one does", async () => {
  const matchmake = (origin: string, method = "POST") =>
    fetch(`${main.endpoint}/matchmake/joinOrCreate/table`, { method, headers: { origin, "content-type": "application/json", "access-control-request-method": "POST" }, ...(method === "POST" ? { body: JSON.stringify({ storeId: "demo", tableId: "T1" }) } : {}) });
  for (const origin of ["https://evil.example", "https://pos.example.com.evil.example", "null"]) {
    for (const method of ["POST", "OPTIONS"]) {
      const response = await matchmake(origin, method);
      await response.arrayBuffer();
      assert.is(response.headers.get("access-control-allow-origin"), null, `${method} /matchmake from ${origin}`);
      assert.is(response.headers.get("access-control-allow-credentials"), null, `${method} /matchmake from ${origin}`);
    }
    const api = await get(main, "/api/health", { origin });
    assert.is(api.status, 200);
    assert.is(api.headers.get("access-control-allow-origin"), null, `/api from ${origin}`);
  }
  for (const method of ["POST", "OPTIONS"]) {
    const response = await matchmake(allowedOrigin, method);
    await response.arrayBuffer();
    assert.is(response.headers.get("access-control-allow-origin"), allowedOrigin, `${method} /matchmake`);
    assert.is(response.headers.get("access-control-allow-credentials"), "true");
  }
  const api = await get(main, "/api/health", { origin: "http://localhost:5173" });
  assert.is(api.headers.get("access-control-allow-origin"), "http://localhost:5173");
  assert.match(api.headers.get("vary") ?? "", /Origin/);
  // A server started with no CORS_ORIGINS allows no cross-origin access at all.
  const none = await get(limited, "/api/health", { origin: allowedOrigin });
  assert.is(none.headers.get("access-control-allow-origin"), null);
});

t("a 2 MB matchmake body is refused with 413 before parsing, and the server keeps serving", async () => {
  const big = Buffer.from(JSON.stringify({ storeId: "demo", tableId: "T1", pad: "x".repeat(2 * 1024 * 1024) }));
  const declared = await rawPost(main, "/matchmake/joinOrCreate/table", big, { "content-type": "application/json", "content-length": big.length });
  assert.is(declared.status, 413, declared.text);
  assert.is((JSON.parse(declared.text) as Answer["body"]).error?.code, "PAYLOAD_TOO_LARGE");
  // Without a Content-Length (chunked), it is cut off once the streamed bytes pass the limit.
  const chunked = await rawPost(main, "/matchmake/joinOrCreate/table", big, { "content-type": "application/json", "transfer-encoding": "chunked" });
  assert.ok(chunked.status === 413 || chunked.status === "reset", `chunked: ${chunked.status} ${chunked.text.slice(0, 200)}`);
  const viaFetch = await fetch(`${main.endpoint}/matchmake/joinOrCreate/table`, { method: "POST", headers: { "content-type": "application/json", origin: allowedOrigin }, body: big });
  assert.is(viaFetch.status, 413);
  assert.is(viaFetch.headers.get("access-control-allow-origin"), allowedOrigin, "a listed browser origin can read the 413");
  await viaFetch.arrayBuffer();
  // A body read to its end leaves its connection in step: a pooled client's next request on it is answered.
  const pool = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await pooledRequest(pool, "POST", "/matchmake/joinOrCreate/table", big);
    assert.is(first.status, 413);
    const next = await pooledRequest(pool, "GET", "/api/health");
    assert.equal([next.status, next.reusedSocket], [200, true], "the refused request's connection serves the next one");
  } finally {
    pool.destroy();
  }
  // Still serving: HTTP, login, and a real join through the same matchmake route.
  assert.is((await get(main, "/api/health")).status, 200);
  const pos = await staff(main);
  const room = await pos.sdk.joinOrCreate("table", { storeId: "demo", tableId: "T2" });
  assert.ok(room.roomId);
  await room.leave();
});

function pooledRequest(agent: Agent, method: string, path: string, body?: Buffer): Promise<{ status: number; reusedSocket: boolean }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${main.endpoint}${path}`, { method, agent, headers: body ? { "content-type": "application/json", "content-length": body.length } : {} }, (res) => {
      res.resume();
      res.once("end", () => resolve({ status: res.statusCode ?? 0, reusedSocket: req.reusedSocket }));
    });
    req.once("error", reject);
    req.end(body);
  });
}

t("each store without printers has its own emulator: store A's slips are not readable with store B's admin token", async () => {
  const listening = JSON.parse(main.output.join("").split("\n").find((l) => l.includes('"event":"listening"'))!) as { emulatorPort: number; emulatorPorts: Record<string, number> };
  assert.ok(listening.emulatorPorts.demo && listening.emulatorPorts.gangnam, JSON.stringify(listening));
  assert.is.not(listening.emulatorPorts.demo, listening.emulatorPorts.gangnam);
  assert.is(listening.emulatorPort, listening.emulatorPorts.demo);

  const marker = `SECRET-${randomUUID().slice(0, 8)}`;
  const table = await openTable(await staff(main), "T3");
  const confirmed = await table.command("confirm", { lines: [{ menuId: "soju", quantity: 1, note: marker }] });
  assert.ok(confirmed.ok, JSON.stringify(confirmed));
  await table.leave();

  const demoAdmin = await PosClient.login(main.endpoint, "demo", "a1", "9999");
  const gangnamAdmin = await PosClient.login(main.endpoint, "gangnam", "a1", "9999");
  const slips = async (admin: PosClient) => {
    const response = await fetch(`${main.endpoint}/api/admin/printers/emulator/slips`, { headers: { authorization: `Bearer ${admin.session.token}` } });
    return { status: response.status, text: await response.text() };
  };
  let demoText = "";
  const deadline = Date.now() + 10_000;
  while (!demoText.includes(marker)) {
    if (Date.now() > deadline) assert.unreachable(`the demo slip never printed:\n${demoText}`);
    demoText = (await slips(demoAdmin)).text;
    if (!demoText.includes(marker)) await new Promise((r) => setTimeout(r, 50));
  }
  const other = await slips(gangnamAdmin);
  assert.is(other.status, 200);
  assert.not.ok(other.text.includes(marker), "gangnam's admin must not see demo's slip");
  assert.not.ok(other.text.includes("=== slip"), `gangnam printed nothing:\n${other.text}`);
});

t("an admin of a store with no emulator gets 404 NOT_FOUND for the emulator slips, not another store's", async () => {
  const token = await signToken({ exp: Math.floor(Date.now() / 1000) + 600, storeId: "nowhere", role: "admin", staffId: "a1" });
  const response = await fetch(`${main.endpoint}/api/admin/printers/emulator/slips`, { headers: { authorization: `Bearer ${token}` } });
  assert.is(response.status, 404);
  assert.is(((await response.json()) as Answer["body"]).error?.code, "NOT_FOUND");
});

t("wrong PIN, unknown staff id and malformed PIN take the same time (ratio of medians)", async () => {
  const known: number[] = [];
  const unknown: number[] = [];
  const malformed: number[] = [];
  const timed = async (into: number[], staffId: string, pin: string) => {
    const started = performance.now();
    const answer = await login(main, "gangnam", staffId, pin);
    into.push(performance.now() - started);
    assert.is(answer.status, 401, `${staffId}/${pin}: ${JSON.stringify(answer.body)}`);
  };
  // Warm-up (first requests pay for JIT and connection setup).
  await login(main, "nowhere", "warm", "0000");
  // 5 failures per real staff id (the 5th still checks the PIN, then locks).
  for (let i = 0; i < 10; i++) {
    await timed(known, i < 5 ? "s1" : "s2", "0000");
    await timed(unknown, `ghost-${randomUUID().slice(0, 8)}`, "0000");
    await timed(malformed, i < 5 ? "k1" : `ghost-${randomUUID().slice(0, 8)}`, i % 2 ? "12" : "abcdefgh");
  }
  const ratioUnknown = median(unknown) / median(known);
  const ratioMalformed = median(malformed) / median(known);
  const detail = `known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms, malformed ${median(malformed).toFixed(1)} ms`;
  assert.ok(ratioUnknown > 0.33 && ratioUnknown < 3, `unknown/known = ${ratioUnknown.toFixed(2)} (${detail})`);
  assert.ok(ratioMalformed > 0.33 && ratioMalformed < 3, `malformed/known = ${ratioMalformed.toFixed(2)} (${detail})`);
});

t("24 terminals logging in at once as one staff id with the right PIN all get a token (default limits)", async () => {
  const answers = await Promise.all(Array.from({ length: 24 }, () => login(limited, "demo", "s1", "1111")));
  assert.equal(answers.map((a) => `${a.status} ${a.body.error?.code ?? "ok"}`), Array.from({ length: 24 }, () => "200 ok"));
});

t("one address gets 20 failed logins a minute, then 429 RATE_LIMITED (successes do not count)", async () => {
  for (let i = 0; i < 3; i++) assert.is((await login(limited, "demo", "s1", "1111")).status, 200);
  for (let i = 0; i < 20; i++) {
    const answer = await login(limited, "demo", `ghost-${i}`, "0000");
    assert.is(answer.status, 401, `failure ${i + 1}: ${JSON.stringify(answer.body)}`);
    assert.is(answer.body.error?.code, "UNAUTHORIZED");
  }
  const limitedAnswer = await login(limited, "demo", "ghost-next", "0000");
  assert.is(limitedAnswer.status, 429);
  assert.is(limitedAnswer.body.error?.code, "RATE_LIMITED");
  const retryAfterMs = limitedAnswer.body.error?.details?.retryAfterMs ?? 0;
  assert.ok(retryAfterMs > 0 && retryAfterMs <= 60_000, `retryAfterMs ${retryAfterMs}`);
  assert.ok(Number(limitedAnswer.headers.get("retry-after")) >= 1);
  // The address is limited, whatever it tries next (the right PIN included).
  const right = await login(limited, "demo", "s2", "2222");
  assert.is(right.status, 429);
  assert.is(right.body.error?.code, "RATE_LIMITED");
});

t("a lockout survives a flood of 10,000 made-up staff ids: a full tracker refuses new ids (BUSY)", async () => {
  // Ten concurrent wrong PINs: the PIN check is asynchronous, yet exactly five are checked and five locked out.
  const guesses = await Promise.all(Array.from({ length: 10 }, () => login(flood, "demo", "s2", "0000")));
  assert.equal(guesses.map((g) => g.status).sort(), [401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
  const locked = await login(flood, "demo", "s2", "2222");
  assert.is(locked.status, 429);
  assert.is(locked.body.error?.code, "LOCKED");

  const counts = new Map<string, number>();
  let next = 0;
  const total = 10_000;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const answer = await login(flood, "demo", `fake-${i}`, "0000");
      const key = `${answer.status} ${answer.body.error?.code}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  };
  // Fail fast on a tracker that keeps answering 401 (no fail-closed): the first 300 must already show BUSY.
  await Promise.all(Array.from({ length: 50 }, () => (async () => {
    while (next < 300) {
      const i = next++;
      const answer = await login(flood, "demo", `fake-${i}`, "0000");
      const key = `${answer.status} ${answer.body.error?.code}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  })()));
  assert.ok((counts.get("429 BUSY") ?? 0) > 0, `after 300 made-up ids: ${JSON.stringify([...counts])}`);
  await Promise.all(Array.from({ length: 50 }, worker));
  const summary = JSON.stringify([...counts]);
  assert.is([...counts.values()].reduce((a, b) => a + b, 0), total);
  assert.ok((counts.get("401 UNAUTHORIZED") ?? 0) <= 100, summary);
  assert.ok((counts.get("429 BUSY") ?? 0) >= total - 100, summary);

  // The real lockout is still there, and a new id is refused before any PIN check.
  const still = await login(flood, "demo", "s2", "2222");
  assert.is(still.status, 429, JSON.stringify(still.body));
  assert.is(still.body.error?.code, "LOCKED");
  const busy = await login(flood, "demo", "s1", "1111");
  assert.is(busy.status, 429);
  assert.is(busy.body.error?.code, "BUSY");
  assert.ok((busy.body.error?.details?.retryAfterMs ?? 0) > 0);
});

t.run();

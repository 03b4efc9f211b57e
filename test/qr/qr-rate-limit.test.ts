/**
 * The exchange is limited per client address (AttemptGate, qrExchangeLimits): after 20 refused
 * tokens the address gets 429 RATE_LIMITED for everything, valid codes too; other addresses
 * are not touched. TRUST_PROXY=loopback lets the test speak from several addresses.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { qrExchangeLimits } from "../../server/qr/index.ts";
import { startServer, type ServerProcess } from "../support/server-process.ts";
import { staff } from "../support/pos.ts";
import type { TableConnection } from "../../clients/pos-client.ts";
import { call, dataOf, flipMacBit, outcomeOf, tokenOf, tokenOfLink } from "./support.ts";

const t = suite("QR exchange: refused tokens are limited per client address");

let server: ServerProcess;
let table: TableConnection;
let token: string;

t.before(async () => {
  server = await startServer({ env: { TRUST_PROXY: "loopback" } });
  const admin = await tokenOf(server, "a1", "9999");
  table = await (await staff(server)).joinTable("T1");
  const opened = await table.command("session.open", { guests: 2 });
  assert.ok(opened.ok);
  token = tokenOfLink(dataOf(await call(server, "GET", "/api/tables/T1/qr", admin)).url);
});
t.after(async () => {
  await table?.leave().catch(() => undefined);
  await server?.stop();
});

const from = (address: string, tableToken: string) => call(server, "POST", "/api/qr/session", undefined, { tableToken }, { "x-forwarded-for": address });

t("20 refused tokens from one address lock it out (429 RATE_LIMITED, Retry-After), valid codes included; others still pass", async () => {
  const guesser = "203.0.113.7";
  assert.is(qrExchangeLimits.failuresBeforeLockout, 20);
  // Successes do not wipe the count: a real code between guesses buys no extra guesses.
  assert.is(outcomeOf(await from(guesser, token)), "ok 200");
  for (let i = 0; i < qrExchangeLimits.failuresBeforeLockout; i++) {
    assert.is(outcomeOf(await from(guesser, flipMacBit(token, i))), "401 UNAUTHORIZED", `guess ${i + 1}`);
    if (i === 9) assert.is(outcomeOf(await from(guesser, token)), "ok 200", "a valid code in between");
  }
  const locked = await from(guesser, token);
  assert.is(outcomeOf(locked), "429 RATE_LIMITED");
  const retryAfter = Number(locked.headers.get("retry-after"));
  assert.ok(retryAfter >= 1 && retryAfter <= qrExchangeLimits.lockoutMs / 1000, String(retryAfter));
  assert.is(outcomeOf(await from(guesser, flipMacBit(token, 99))), "429 RATE_LIMITED");
  assert.is(outcomeOf(await from("198.51.100.2", token)), "ok 200", "another address");
});

t.run();

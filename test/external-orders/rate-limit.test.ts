/** Key guessing over HTTP is limited per client address, like PIN guessing (server/attempt-gate.ts). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startServer, tempDir, writeConfig, type ServerProcess } from "../support/server-process.ts";
import { integrationAuthLimits } from "../../server/external-orders/auth.ts";
import { appConfig, beerLine, order, outcome, rowsOf } from "./support.ts";

let server: ServerProcess;
test.before(async () => {
  server = await startServer({ env: { CONFIG_FILE: writeConfig(tempDir("app-keys"), appConfig()) } });
});
test.after(async () => {
  await server?.stop();
});

test("after the allowed wrong keys an address gets 429 RATE_LIMITED with Retry-After, even with the right key, and nothing is written", async () => {
  const body = { orderId: "guess-1", tableId: "T1", items: [beerLine] };
  const before = rowsOf(server);
  // A right key in between does not wipe the count (a known key must not buy unlimited guesses).
  assert.is(outcome(await order(server, body)), "409 NO_SESSION");
  for (let i = 0; i < integrationAuthLimits.failuresPerAddressPerMinute; i++) {
    assert.is(outcome(await order(server, body, `guess-${i}`)), "401 UNAUTHORIZED", `guess ${i}`);
    if (i === 0) assert.is(outcome(await order(server, body)), "409 NO_SESSION");
  }
  const locked = await order(server, body, "guess-last");
  assert.is(outcome(locked), "429 RATE_LIMITED");
  assert.ok(Number(locked.headers.get("retry-after")) >= 1);
  assert.is(outcome(await order(server, body)), "429 RATE_LIMITED");
  assert.equal(rowsOf(server), before);
});

test.run();

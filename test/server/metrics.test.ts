import { test } from "uvu";
import * as assert from "uvu/assert";
import { startServer, type ServerProcess } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";

const metricsToken = "metrics-token-for-the-test-0123456789";

async function scrape(server: ServerProcess, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.endpoint}/metrics`, { headers });
}

/** The value of one sample line (`name{labels} value`), 0 when absent. */
function sample(text: string, line: RegExp): number {
  const found = text.split("\n").find((l) => line.test(l));
  return found ? Number(found.slice(found.lastIndexOf(" ") + 1)) : 0;
}

test("with METRICS_TOKEN: refused without or with a wrong token (staff tokens too), served in Prometheus text format with it; confirms are counted", async () => {
  const server = await startServer({ env: { METRICS_TOKEN: metricsToken } });
  try {
    const none = await scrape(server);
    assert.is(none.status, 401);
    assert.is(((await none.json()) as { error: { code: string } }).error.code, "UNAUTHORIZED");
    assert.is((await scrape(server, { authorization: "Bearer wrong" })).status, 401);
    const pos = await staff(server);
    assert.is((await scrape(server, { authorization: `Bearer ${pos.session.token}` })).status, 401, "a staff token is not a metrics token");

    const auth = { authorization: `Bearer ${metricsToken}` };
    const before = await scrape(server, auth);
    assert.is(before.status, 200);
    assert.match(before.headers.get("content-type") ?? "", "text/plain");
    const beforeText = await before.text();
    assert.match(beforeText, "# TYPE table_session_confirms_total counter");
    assert.match(beforeText, "# TYPE table_session_command_duration_seconds histogram");
    assert.match(beforeText, "process_cpu_user_seconds_total");
    const confirmsBefore = sample(beforeText, /^table_session_confirms_total\{store="demo"\} /);

    const table = await openTable(pos, "T1");
    const confirmed = await table.command("confirm", { lines: [{ menuId: "jeyuk", quantity: 1 }] });
    assert.ok(confirmed.ok, JSON.stringify(confirmed));
    await table.leave();

    const after = await (await scrape(server, auth)).text();
    assert.is(sample(after, /^table_session_confirms_total\{store="demo"\} /), confirmsBefore + 1);
    assert.ok(sample(after, /^table_session_commands_total\{room="table",type="confirm",code="ok"\} /) >= 1, after);
    assert.ok(sample(after, /^table_session_commit_duration_seconds_count /) >= 1, "commit latency observed");
    assert.ok(sample(after, /^table_session_commit_units_count /) >= 1, "units per commit observed");
    assert.match(after, /table_session_outbox_depth\{subscriber="kitchen-board"\} \d+/);
  } finally {
    await server.stop();
  }
});

test("without METRICS_TOKEN: loopback only, and a proxied request (X-Forwarded-For, Forwarded) is refused", async () => {
  const server = await startServer();
  try {
    const local = await scrape(server);
    assert.is(local.status, 200);
    assert.match(await local.text(), "table_session_commands_total");
    const forwarded = await scrape(server, { "x-forwarded-for": "203.0.113.7" });
    assert.is(forwarded.status, 403);
    assert.is(((await forwarded.json()) as { error: { code: string } }).error.code, "FORBIDDEN");
    assert.is((await scrape(server, { forwarded: "for=203.0.113.7" })).status, 403);
  } finally {
    await server.stop();
  }
});

test.run();

import http from "node:http";
import type { AddressInfo } from "node:net";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { CardProvider } from "../../payments/index.ts";
import type { VanSimulator } from "../../payments/simulator/index.ts";
import { adapterFor, cardRequest, startSimulator } from "./support.ts";

const t = suite("answers the card adapter cannot trust are unknown, never a guess");
let sim: VanSimulator;
let van: CardProvider;

t.before(async () => {
  sim = await startSimulator();
  van = adapterFor(sim.url, { requestTimeoutMs: 5_000 });
});
t.after.each(async () => sim.clearFaults());
t.after(async () => sim.close());

t("an approval answer cut in half is unknown, and the query shows the charge it made", async () => {
  await sim.setFaults({ kind: "garbledAnswer", times: 1 });
  const request = cardRequest();
  assert.equal(await van.approve(request), { kind: "unknown", reason: "unreadable_answer" });
  assert.is((await van.query(request.orderId)).kind, "approved");
});

t("a query answer cut in half is unknown, not not_found", async () => {
  await sim.setFaults({ kind: "garbledAnswer", on: ["query"] });
  assert.equal(await van.query("ord-garbled"), { kind: "unknown", reason: "unreadable_answer" });
});

t("a 404 that is not the provider's NOT_FOUND_PAYMENT (a wrong base URL) is unknown, not 'no charge'", async () => {
  const misconfigured = adapterFor(`${sim.url}/wrong-prefix`, { requestTimeoutMs: 5_000 });
  assert.equal(await misconfigured.query("ord-anything"), { kind: "unknown", reason: "http_404" });
});

/** A provider that answers approvals wrongly (the one place a fake stands in for the VAN). */
async function wrongProvider(answer: (body: Record<string, unknown>) => Record<string, unknown>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", connection: "close" });
      res.end(JSON.stringify(answer(JSON.parse(text) as Record<string, unknown>)));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

const approvalFor = (body: Record<string, unknown>, overrides: Record<string, unknown>) => ({
  status: "approved", orderId: body.orderId, tid: "T1", approvalNo: "12345678", approvedAt: "2025-06-01T12:00:00+09:00", amount: body.amount, partial: false, ...overrides,
});

for (const [what, overrides] of [
  ["another order", { orderId: "someone-else" }],
  ["more than was asked", { amount: 1_000_000 }],
] as const) {
  t(`an approval for ${what} is unknown`, async () => {
    const fake = await wrongProvider((body) => approvalFor(body, overrides));
    try {
      assert.equal(await adapterFor(fake.url, { requestTimeoutMs: 5_000 }).approve(cardRequest()), { kind: "unknown", reason: "unreadable_answer" });
    } finally {
      await fake.close();
    }
  });
}

t.run();

/**
 * R-TLL-3: cancelling a prepaid item refunds through its original payment. The app's payment was
 * approved at the same VAN the server uses (a simulator in this process), so the refund is a real
 * partial cancel there, and the ledger shows it.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { eventually, startServer, tempDir, writeConfig, type ServerProcess } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";
import { PosClient } from "../../clients/pos-client.ts";
import { createCardProvider } from "../../payments/index.ts";
import { startVanSimulator, type VanSimulator } from "../../payments/simulator/index.ts";
import { appConfig, beerLine, kimchiLine, order, outcome } from "./support.ts";

const t = suite("a cancelled prepaid item is refunded through the payment that paid for it");

let sim: VanSimulator;
let server: ServerProcess;
t.before(async () => {
  sim = await startVanSimulator();
  server = await startServer({ env: { CONFIG_FILE: writeConfig(tempDir("app-refund"), appConfig()), VAN_URL: sim.url } });
});
t.after(async () => {
  await server?.stop();
  await sim?.close();
});

t("an admin cancels the beer of a prepaid app order: 5,000 won goes back through the VAN, the table owes nothing", async () => {
  const table = await openTable(await staff(server), "T2");
  // The app charged 23,000 at the VAN (kimchi ×2 + beer).
  const van = createCardProvider({ baseUrl: sim.url });
  const charged = await van.approve({ orderId: "app-order-77", storeId: "demo", method: "card", amount: 23_000, installmentMonths: 0, vat: 2_091 });
  assert.is(charged.kind, "approved");
  const approval = (charged as Extract<typeof charged, { kind: "approved" }>).approval;
  const provider = { name: van.name, approvalNo: approval.approvalNo, transactionId: approval.transactionId, approvedAt: approval.approvedAt };
  const placed = await order(server, { orderId: "app-order-77", tableId: "T2", items: [kimchiLine, beerLine], prepaid: { method: "card", amount: 23_000, provider } });
  assert.is(outcome(placed), "201");
  const beerItemId = placed.body.data.itemIds[1] as string;

  // Staff may not touch the app's items; an admin may, and the refund follows.
  const refused = await table.command("item.cancel", { itemId: beerItemId, reason: "품절 안내" });
  assert.is(refused.ok ? "ok" : refused.error.code, "FORBIDDEN");
  const admin = await (await PosClient.login(server.endpoint, "demo", "a1", "9999")).joinTable("T2");
  const cancelled = await admin.command<any>("item.cancel", { itemId: beerItemId, reason: "품절 안내" });
  assert.ok(cancelled.ok, JSON.stringify(cancelled));
  assert.is(cancelled.data.refund.status, "completed", JSON.stringify(cancelled.data));
  assert.is(cancelled.data.refund.amountWon, 5_000);
  await eventually(() => Number(table.state.outstandingWon) === 0 && Number(table.state.paidWon) === 18_000, 5_000, "paid 18,000, nothing owed");
  const atVan = sim.ledger().orders.find((o) => o.orderId === "app-order-77")!;
  assert.is(atVan.balanceAmount, 18_000);
  assert.is(atVan.cancelledAmount, 5_000);
  await Promise.all([table.leave(), admin.leave()]);
});

t.run();

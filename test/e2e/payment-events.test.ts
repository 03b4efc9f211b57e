import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PosClient } from "../../clients/pos-client.ts";
import { eventually, startServer, type ServerProcess } from "../support/server-process.ts";
import { kds, ticketsWith } from "../support/kitchen.ts";
import { openTable, staff, kimchi } from "../support/pos.ts";

// R-PAY-4: payment steps reach the kitchen screens ("paying") and the admin console (each step).
const t = suite("payment events reach the kitchen and admin views");

let server: ServerProcess;
t.before(async () => {
  server = await startServer();
});
t.after(async () => {
  await server?.stop();
});

t("a started payment marks the table's tickets paying on the KDS; the admin console lists paying, paid and closed", async () => {
  const kitchen = await kds(server, "all");
  const admin = await (await PosClient.login(server.endpoint, "demo", "a1", "9999")).sdk.joinOrCreate("admin", { storeId: "demo" });
  const notices: string[] = [];
  admin.onMessage("payment", (n: { kind: string }) => notices.push(n.kind));
  const table = await openTable(await staff(server), "T5");
  const confirm = await table.command<{ itemIds: string[] }>("confirm", { lines: [kimchi] });
  assert.ok(confirm.ok);
  const itemId = (confirm as any).data.itemIds[0] as string;
  await eventually(() => ticketsWith(kitchen, itemId).length === 1, 5_000, "the ticket on the KDS");
  assert.is(ticketsWith(kitchen, itemId)[0].payment, "");
  const part = await table.command("payment.start", { method: "cash", amount: 1_000 });
  assert.ok(part.ok, JSON.stringify(part));
  await eventually(() => ticketsWith(kitchen, itemId)[0]?.payment === "paying", 5_000, "paying on the KDS");
  const rest = await table.command("payment.start", { method: "card", amount: (part as any).data.outstandingWon });
  assert.is((rest as any).data.sessionStatus, "closed");
  await eventually(() => notices.includes("closed"), 5_000, "closed on the admin console");
  assert.equal(notices, ["paying", "paid", "paying", "paid", "closed"]);
  const kinds = [...(admin.state as any).payments].map((p: any) => p.kind);
  assert.equal(kinds, ["closed", "paid", "paying", "paid", "paying"]);
  // A closed table's tickets leave the kitchen screen with its session.
  await eventually(() => ticketsWith(kitchen, itemId).length === 0, 5_000, "the ticket leaves the KDS");
  await admin.leave();
  await table.leave();
});

t.run();

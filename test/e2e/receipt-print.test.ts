import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PrinterEmulator } from "../../printers/index.ts";
import { demoRawConfig } from "../../server/config/index.ts";
import { eventually, startServer, tempDir, writeConfig, type ServerProcess } from "../support/server-process.ts";
import { fastPrinting } from "../support/printing.ts";
import { openTable, staff, kimchi } from "../support/pos.ts";
import type { TableConnection } from "../../clients/pos-client.ts";

// Issue #11: the customer receipt goes through the print ledger to the receipt station's printer;
// the bytes, decoded by a real ESC/POS peer on loopback, show the VAT split, the card and the copies.
const t = suite("receipts: printed through the ledger, decoded at the printer");

let kitchen: PrinterEmulator;
let counter: PrinterEmulator;
let server: ServerProcess;

t.before(async () => {
  kitchen = new PrinterEmulator({ host: "127.0.0.1", port: 0 });
  counter = new PrinterEmulator({ host: "127.0.0.1", port: 0 });
  await kitchen.start();
  await counter.start();
  const demo = demoRawConfig.stores[0]!;
  const config = {
    ...demoRawConfig,
    printing: fastPrinting,
    stores: [{
      ...demo,
      business: { registrationNo: "1208765432", owner: "김사장", address: "서울 강남구 테헤란로 1", phone: "02-555-1234" },
      money: { receiptStationId: "bar" },
      printers: [
        { id: "pk", name: "주방 프린터", host: "127.0.0.1", port: kitchen.port, stationIds: ["kitchen"] },
        { id: "pc", name: "카운터 프린터", host: "127.0.0.1", port: counter.port, stationIds: ["bar"] },
      ],
    }],
  };
  const dataDir = tempDir("receipt");
  server = await startServer({ dataDir, env: { CONFIG_FILE: writeConfig(dataDir, config) } });
});
t.after(async () => {
  await server?.stop();
  await kitchen?.stop();
  await counter?.stop();
});

async function ok<T = any>(table: TableConnection, type: string, fields: Record<string, unknown> = {}): Promise<T> {
  const reply = await table.command<T>(type, fields);
  if (!reply.ok) throw new Error(`${type}: ${JSON.stringify(reply.error)}`);
  return reply.data;
}

const won = (n: number) => `${n.toLocaleString("en-US")}원`;
const flat = (text: string) => text.replace(/[ \t]+/g, " ");

t("a paid table's receipt prints 공급가액/부가세 of the total, the card's issuer, masked number and approval number; the second print says COPY 1", async () => {
  const pos = await staff(server);
  const table = await openTable(pos, "T1");
  await ok(table, "confirm", { lines: [kimchi, kimchi] });
  await ok(table, "adjustment.apply", { kind: "percent_discount", scope: "session", percent: 5, reasonCode: "regular_customer", note: "단골" });
  // A total whose /11 has a fraction above .5, where rounding and truncating differ (…10 mod 11).
  const before = (await ok(table, "payment.quote")).payableWon as number;
  const nudge = (10 - (before % 11) + 11) % 11;
  if (nudge > 0) await ok(table, "adjustment.apply", { kind: "correction", scope: "session", amount: nudge, reasonCode: "price_error", note: "단수 정정" });
  const due = (await ok(table, "payment.quote")).payableWon as number;
  assert.is(due % 11, 10);
  const card = await ok(table, "payment.start", { method: "card", amount: due - 7_000 });
  await ok(table, "payment.start", { method: "cash", amount: 7_000, tendered: 10_000 });
  const printed = await ok(table, "receipt.print");
  assert.is(printed.copy, 0);
  await eventually(() => counter.slips().some((s) => s.text.includes("공급가액")), 10_000, "the receipt on the counter printer");
  const slip = counter.slips().find((s) => s.text.includes("공급가액"))!;
  const text = flat(slip.text);
  // The VAT rule computed here on its own: 부가세 = round(total / 11), 공급가액 = total − 부가세.
  const vat = Math.round(due / 11);
  assert.match(text, new RegExp(`공급가액 ${won(due - vat)}`));
  assert.match(text, new RegExp(`부가세 ${won(vat)}`));
  assert.ok(text.includes("120-87-65432"), text);
  assert.ok(text.includes(card.approvalNo), text);
  assert.ok(text.includes(card.cardIssuer), text);
  assert.ok(text.includes(card.maskedCardNo), text);
  assert.ok(!/COPY/.test(text), "the original is not a copy");
  assert.ok(!kitchen.slips().some((s) => s.text.includes("공급가액")), "receipts never go to the kitchen");

  const again = await ok(table, "receipt.print");
  assert.is(again.copy, 1);
  await eventually(() => counter.slips().filter((s) => s.text.includes("공급가액")).length === 2, 10_000, "the copy");
  const copy = counter.slips().filter((s) => s.text.includes("공급가액"))[1]!;
  assert.ok(copy.text.includes("COPY 1"), copy.text);
  await table.leave();
});

t.run();

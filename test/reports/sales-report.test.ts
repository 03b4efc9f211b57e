/**
 * The daily sales report against an independent model: random days of sessions are played through
 * the real server with a real POS client (confirms, cancels, quantity changes, discounts and
 * charges, declined cards, cash and card tenders, refunds, write-offs, called-off tables, tables
 * left open). The test keeps its own books from what it sent and what the server replied (menu
 * prices, the reply of every command, its own card table and VAT formula) and checks that every
 * figure of the report, and of its CSV, equals the sums of those books for each business date.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { PosClient, type TableConnection } from "../../clients/pos-client.ts";
import { businessDateOf } from "../../server/reports/business-day.ts";
import { query, startServer, type ServerProcess } from "../support/server-process.ts";
import { call, dataOf, parseCsv, tokenOf } from "./support.ts";

const t = suite("sales report: every figure equals the sum of the day's sessions");

// The demo menu, copied here so the expected totals do not come from the server.
const basePrice: Record<string, number> = {
  "kimchi-jjigae": 9000, "doenjang-jjigae": 8000, jeyuk: 11000, "gyeran-mari": 7000, "haemul-pajeon": 15000, rice: 1000,
  beer: 5000, soju: 5000, makgeolli: 6000, cola: 2000, cider: 2000,
};
const optionDelta: Record<string, number> = { mild: 0, medium: 0, hot: 0, rice: 1000, ramen: 1500, "500": 0, "1000": 3000 };
const issuerOfBin: Record<string, string> = { "541707": "국민카드", "451842": "신한카드", "536112": "삼성카드", "433290": "현대카드", "940915": "비씨카드", "625104": "우리카드" };
// The demo store's reason labels (server/config/money.ts defaults); write_off is the server's own code.
const reasonLabel: Record<string, string> = { regular_customer: "단골 할인", event: "이벤트", complaint: "불만 처리", coupon: "쿠폰", service_charge: "봉사료", manager_comp: "점장 서비스", write_off: "write_off" };
const seoul = { timeZone: "Asia/Seoul", dayStartsAt: "05:00" };

interface Line { menuId: string; quantity: number; optionIds: string[] }
const quantity = fc.integer({ min: 1, max: 3 });
const line: fc.Arbitrary<Line> = fc.oneof(
  fc.record({ menuId: fc.constant("kimchi-jjigae"), quantity, optionIds: fc.tuple(fc.constantFrom("mild", "medium", "hot"), fc.subarray(["rice", "ramen"])).map(([s, e]) => [s, ...e]) }),
  fc.record({ menuId: fc.constant("beer"), quantity, optionIds: fc.constantFrom("500", "1000").map((size) => [size]) }),
  fc.record({ menuId: fc.constantFrom("doenjang-jjigae", "jeyuk", "gyeran-mari", "haemul-pajeon", "rice", "soju", "makgeolli", "cola", "cider"), quantity, optionIds: fc.constant<string[]>([]) }),
);
const adjustment = fc.oneof(
  fc.record({ kind: fc.constant("percent_discount" as const), percent: fc.integer({ min: 5, max: 20 }), reasonCode: fc.constantFrom("regular_customer", "event") }),
  fc.record({ kind: fc.constant("fixed_discount" as const), amount: fc.integer({ min: 500, max: 3000 }), reasonCode: fc.constantFrom("complaint", "event") }),
  fc.record({ kind: fc.constant("coupon" as const), amount: fc.integer({ min: 1000, max: 2000 }), reasonCode: fc.constant("coupon") }),
  fc.record({ kind: fc.constant("service_charge" as const), percent: fc.integer({ min: 5, max: 10 }), reasonCode: fc.constant("service_charge") }),
  fc.record({ kind: fc.constant("comp" as const), reasonCode: fc.constant("manager_comp") }),
);
type Adjustment = typeof adjustment extends fc.Arbitrary<infer A> ? A : never;
const tender = fc.record({ method: fc.constantFrom("cash" as const, "card" as const), bin: fc.constantFrom(...Object.keys(issuerOfBin)), share: fc.integer({ min: 1, max: 99 }) });
const plan = fc.record({
  guests: fc.integer({ min: 1, max: 6 }),
  batches: fc.array(fc.array(line, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }),
  voidAction: fc.constantFrom("none", "cancel", "reduce"),
  voidPick: fc.nat(),
  adjustment: fc.option(adjustment, { nil: undefined }),
  declined: fc.boolean(),
  tenders: fc.array(tender, { minLength: 1, maxLength: 3 }),
  refundShare: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
  ending: fc.constantFrom("paid", "paid", "paid", "leftOpen", "writeOff", "calledOff"),
});
type Plan = typeof plan extends fc.Arbitrary<infer P> ? P : never;

/** The test's own books for one session. */
interface Books {
  tableId: string;
  sessionId: string;
  table: TableConnection;
  guests: number;
  items: Map<string, { unit: number; quantity: number; line: number }>;
  adjustments: { kind: string; reasonCode: string; amount: number }[];
  payments: { method: string; approved: number; issuer: string | null }[];
  refunds: { method: string; amount: number }[];
  voidItems: number[];
  reductions: number[];
  declined: number[];
  status: "open" | "closed" | "cancelled";
}

const itemsTotal = (b: Books) => [...b.items.values()].reduce((s, i) => s + i.line, 0);
const net = (b: Books) => itemsTotal(b) + b.adjustments.reduce((s, a) => s + a.amount, 0);
const paid = (b: Books) => b.payments.reduce((s, p) => s + p.approved, 0) - b.refunds.reduce((s, r) => s + r.amount, 0);
const outstanding = (b: Books) => net(b) - paid(b);

let server: ServerProcess;
let pos: PosClient;
let admin: string;
const tables = new Map<string, TableConnection>();
const finished: Books[] = [];
let open: Books[] = [];

t.before(async () => {
  server = await startServer();
  pos = await PosClient.login(server.endpoint, "demo", "a1", "9999");
  admin = await tokenOf(server, "a1", "9999");
});
t.after(async () => {
  for (const table of tables.values()) await table.leave().catch(() => undefined);
  await server?.stop();
});

async function ok<T = any>(table: TableConnection, type: string, fields: Record<string, unknown> = {}): Promise<T> {
  const reply = await table.command<T>(type, fields);
  if (!reply.ok) throw new Error(`${type} ${JSON.stringify(fields)}: ${JSON.stringify(reply.error)}`);
  return reply.data;
}

async function tableFor(tableId: string): Promise<TableConnection> {
  let table = tables.get(tableId);
  if (!table) tables.set(tableId, (table = await pos.joinTable(tableId)));
  return table;
}

/** Pays `amount` in one tender and books what the server approved. */
async function pay(b: Books, method: "cash" | "card", bin: string, amount: number): Promise<any> {
  const reply = await ok(b.table, "payment.start", method === "cash" ? { method, amount } : { method, amount, cardToken: `${bin}1234565678` });
  assert.is(reply.approvedWon, amount);
  const issuer = method === "card" ? issuerOfBin[bin]! : null;
  if (method === "card") assert.is(reply.cardIssuer, issuer);
  b.payments.push({ method, approved: amount, issuer });
  assert.is(reply.outstandingWon, outstanding(b));
  if (reply.sessionStatus === "closed") b.status = "closed";
  return reply;
}

async function playSession(tableId: string, p: Plan): Promise<void> {
  const table = await tableFor(tableId);
  const opened = await ok(table, "session.open", { guests: p.guests });
  const b: Books = { tableId, sessionId: opened.sessionId, table, guests: p.guests, items: new Map(), adjustments: [], payments: [], refunds: [], voidItems: [], reductions: [], declined: [], status: "open" };
  for (const lines of p.batches) {
    const reply = await ok(table, "confirm", { lines });
    lines.forEach((l, i) => {
      const unit = basePrice[l.menuId]! + l.optionIds.reduce((s, o) => s + optionDelta[o]!, 0);
      b.items.set(reply.itemIds[i], { unit, quantity: l.quantity, line: unit * l.quantity });
    });
    assert.is(reply.totalWon, lines.reduce((s, l, i) => s + b.items.get(reply.itemIds[i])!.line, 0));
  }
  if (p.declined) {
    const amount = Math.min(itemsTotal(b), 1000 + (p.voidPick % 5000));
    const reply = await table.command("payment.start", { method: "card", amount, cardToken: "DECLINE" });
    assert.is(reply.ok ? "approved" : reply.error.code, "PAYMENT_DECLINED");
    b.declined.push(amount);
  }
  const ids = [...b.items.keys()];
  if (p.ending === "calledOff") {
    for (const itemId of ids) await cancelItem(b, itemId);
    const closed = await ok(table, "session.close", { reason: "손님 취소" });
    assert.is(closed.status, "cancelled");
    b.status = "cancelled";
    finished.push(b);
    return;
  }
  if (p.voidAction === "cancel" && ids.length >= 2) await cancelItem(b, ids[p.voidPick % ids.length]!);
  const reducible = [...b.items.keys()].filter((id) => b.items.get(id)!.quantity >= 2);
  if (p.voidAction === "reduce" && reducible.length > 0) {
    const itemId = reducible[p.voidPick % reducible.length]!;
    const old = b.items.get(itemId)!;
    const reply = await ok(table, "item.changeQuantity", { itemId, quantity: old.quantity - 1, reason: "수량 변경" });
    b.items.delete(itemId);
    b.items.set(reply.newItemId, { unit: old.unit, quantity: old.quantity - 1, line: old.unit * (old.quantity - 1) });
    b.reductions.push(old.unit);
    assert.is(reply.sessionTotalWon, itemsTotal(b));
  }
  if (p.adjustment) await adjust(b, p.adjustment);
  await payments(b, p);
  (b.status === "open" ? open : finished).push(b);
}

async function cancelItem(b: Books, itemId: string): Promise<void> {
  const reply = await ok(b.table, "item.cancel", { itemId, reason: "손님 요청" });
  b.voidItems.push(b.items.get(itemId)!.line);
  b.items.delete(itemId);
  assert.is(reply.sessionTotalWon, itemsTotal(b));
}

/** A session-wide adjustment; its amount is computed here from the rule, then checked against the reply. */
async function adjust(b: Books, a: Adjustment): Promise<void> {
  const base = net(b);
  const halfUp = (percent: number) => Math.floor((base * percent + 50) / 100);
  let fields: Record<string, unknown>;
  let expected: number;
  switch (a.kind) {
    case "percent_discount": fields = { percent: a.percent }; expected = -halfUp(a.percent); break;
    case "service_charge": fields = { percent: a.percent }; expected = halfUp(a.percent); break;
    case "comp": fields = {}; expected = -base; break;
    default: {
      const amount = Math.min(a.amount, base);
      fields = { amount };
      expected = -amount;
    }
  }
  if (expected === 0) return;
  const reply = await ok(b.table, "adjustment.apply", { kind: a.kind, scope: "session", reasonCode: a.reasonCode, note: "test", ...fields });
  assert.is(reply.amountWon, expected);
  b.adjustments.push({ kind: a.kind, reasonCode: a.reasonCode, amount: expected });
}

/** Tenders as planned; a refund of the first one when another follows; then the ending. */
async function payments(b: Books, p: Plan): Promise<void> {
  const tenders = p.ending === "paid" ? p.tenders : p.tenders.slice(0, 1);
  for (const [i, tn] of tenders.entries()) {
    const due = outstanding(b);
    const last = p.ending === "paid" && i === tenders.length - 1;
    if (due <= 1 && !last) break;
    if (due === 0) break;
    const amount = last ? due : Math.max(1, Math.min(due - 1, Math.floor((due * tn.share) / 100)));
    const method = tn.method === "card" && amount < 100 ? "cash" : tn.method;
    const reply = await pay(b, method, tn.bin, amount);
    if (i === 0 && p.refundShare !== undefined && b.status === "open") {
      const refund = Math.max(1, Math.floor((amount * p.refundShare) / 100));
      const done = await ok(b.table, "refund.start", { paymentId: reply.paymentId, amount: refund, reason: "부분 환불", reasonCode: "complaint" });
      assert.is(done.status, "completed");
      b.refunds.push({ method, amount: refund });
      assert.is(done.outstandingWon, outstanding(b));
    }
  }
  if (p.ending === "paid" && b.status === "open") {
    // Nothing left to pay (a comp took it all): the table is closed by hand.
    assert.is(outstanding(b), 0);
    assert.is((await ok(b.table, "session.close", { reason: "" })).status, "closed");
    b.status = "closed";
  }
  if (p.ending === "writeOff") {
    const left = outstanding(b);
    const closed = await ok(b.table, "session.close", { reason: "미수 정리" });
    assert.is(closed.status, "closed");
    if (left !== 0) b.adjustments.push({ kind: "correction", reasonCode: "write_off", amount: -left });
    b.status = "closed";
  }
}

/** A table left open on an earlier day is paid off in cash (or closed when nothing is due). */
async function settleLeftover(b: Books): Promise<void> {
  const due = outstanding(b);
  if (due > 0) await pay(b, "cash", "", due);
  else assert.is((await ok(b.table, "session.close", { reason: "" })).status, "closed");
  b.status = "closed";
  finished.push(b);
}

// ---- the independent sums -----------------------------------------------------------------

type Tally = { count: number; won: number };
const tally = (into: Record<string, Tally>, key: string, won: number) => {
  into[key] = { count: (into[key]?.count ?? 0) + 1, won: (into[key]?.won ?? 0) + won };
};
const count = (values: number[]): Tally => ({ count: values.length, won: values.reduce((s, v) => s + v, 0) });

/** The figures of a set of sessions, summed from the books (VAT: round(net / 11) per session). */
function expectedFigures(sessions: Books[]) {
  const byKind: Record<string, Tally> = {};
  const byReason: Record<string, Tally & { label: string }> = {};
  const byMethod: Record<string, Tally> = {};
  const byIssuer: Record<string, Tally> = {};
  const refundsByMethod: Record<string, Tally> = {};
  for (const b of sessions) {
    for (const a of b.adjustments) {
      tally(byKind, a.kind, a.amount);
      const r = byReason[a.reasonCode];
      byReason[a.reasonCode] = { label: reasonLabel[a.reasonCode]!, count: (r?.count ?? 0) + 1, won: (r?.won ?? 0) + a.amount };
    }
    for (const p of b.payments) {
      tally(byMethod, p.method, p.approved);
      if (p.issuer) tally(byIssuer, p.issuer, p.approved);
    }
    for (const r of b.refunds) tally(refundsByMethod, r.method, r.amount);
  }
  const closed = sessions.filter((b) => b.status === "closed");
  const sum = (f: (b: Books) => number) => sessions.reduce((s, b) => s + f(b), 0);
  const vat = sum((b) => Math.round(net(b) / 11));
  const adjustments = sessions.flatMap((b) => b.adjustments.map((a) => a.amount));
  const approved = sum((b) => b.payments.reduce((s, p) => s + p.approved, 0));
  const refunded = sum((b) => b.refunds.reduce((s, r) => s + r.amount, 0));
  return {
    sessions: { closed: closed.length, cancelled: sessions.length - closed.length },
    guests: closed.reduce((s, b) => s + b.guests, 0),
    grossWon: sum(itemsTotal),
    adjustments: {
      totalWon: adjustments.reduce((s, a) => s + a, 0),
      discountsWon: adjustments.filter((a) => a < 0).reduce((s, a) => s + a, 0),
      chargesWon: adjustments.filter((a) => a > 0).reduce((s, a) => s + a, 0),
      byKind, byReason,
    },
    netSalesWon: sum(net),
    vat: { supplyWon: sum(net) - vat, vatWon: vat },
    payments: { approvedWon: approved, byMethod, byCardIssuer: byIssuer },
    refunds: { refundedWon: refunded, byMethod: refundsByMethod },
    paidNetWon: approved - refunded,
    unpaidAtClose: { count: 0, won: 0 },
    voids: { items: count(sessions.flatMap((b) => b.voidItems)), quantityReductions: count(sessions.flatMap((b) => b.reductions)), payments: count(sessions.flatMap((b) => b.declined)) },
    drawer: { cashSalesWon: byMethod.cash?.won ?? 0, cashRefundsWon: refundsByMethod.cash?.won ?? 0, expectedCashWon: (byMethod.cash?.won ?? 0) - (refundsByMethod.cash?.won ?? 0) },
  };
}

function figuresOf(report: any) {
  const { sessions, guests, grossWon, adjustments, netSalesWon, vat, payments, refunds, paidNetWon, unpaidAtClose, voids, drawer } = report;
  return { sessions, guests, grossWon, adjustments, netSalesWon, vat, payments, refunds, paidNetWon, unpaidAtClose, voids, drawer };
}

/** The report's figures back from its CSV: every `section,key,value` row, numbers parsed. */
function figuresFromCsv(text: string) {
  assert.ok(text.startsWith("\uFEFF"), "the CSV starts with a UTF-8 BOM");
  const rows = parseCsv(text.slice(1));
  assert.equal(rows[0], ["section", "key", "value"]);
  const cells = new Map(rows.slice(1).map(([section, key, value]) => [`${section}/${key}`, value!]));
  const num = (k: string) => {
    const v = cells.get(k);
    assert.ok(v !== undefined && /^-?\d+$/.test(v), `${k} is a whole number in the CSV, got ${v}`);
    return Number(v);
  };
  const tallies = (section: string) => {
    const out: Record<string, Tally> = {};
    for (const key of cells.keys()) {
      if (!key.startsWith(`${section}/`) || !key.endsWith(".won")) continue;
      const code = key.slice(section.length + 1, -4);
      out[code] = { count: num(`${section}/${code}.count`), won: num(`${section}/${code}.won`) };
    }
    return out;
  };
  const reasons = Object.fromEntries(Object.entries(tallies("adjustments_by_reason")).map(([code, tl]) => [code, { label: cells.get(`adjustments_by_reason/${code}.label`)!, ...tl }]));
  const voids = tallies("voids");
  return {
    figures: {
      sessions: { closed: num("sessions/closed"), cancelled: num("sessions/cancelled") },
      guests: num("sales/guests"),
      grossWon: num("sales/gross_won"),
      adjustments: { totalWon: num("sales/adjustments_won"), discountsWon: num("sales/discounts_won"), chargesWon: num("sales/charges_won"), byKind: tallies("adjustments_by_kind"), byReason: reasons },
      netSalesWon: num("sales/net_won"),
      vat: { supplyWon: num("sales/supply_won"), vatWon: num("sales/vat_won") },
      payments: { approvedWon: num("sales/approved_won"), byMethod: tallies("payments_by_method"), byCardIssuer: tallies("payments_by_card_issuer") },
      refunds: { refundedWon: num("sales/refunded_won"), byMethod: tallies("refunds_by_method") },
      paidNetWon: num("sales/paid_net_won"),
      unpaidAtClose: { count: num("sales/unpaid_at_close_count"), won: num("sales/unpaid_at_close_won") },
      voids: { items: voids.items, quantityReductions: voids.quantity_reductions, payments: voids.payments },
      drawer: { cashSalesWon: num("drawer/cash_sales_won"), cashRefundsWon: num("drawer/cash_refunds_won"), expectedCashWon: num("drawer/expected_cash_won") },
    },
    openTables: num("open_tables/count"),
    openOutstanding: num("open_tables/outstanding_won"),
    businessDate: cells.get("report/business_date"),
  };
}

/** Every business date any finished session closed on: the report (JSON and CSV) equals the books. */
async function checkReports(): Promise<void> {
  const byDate = new Map<string, Books[]>();
  for (const b of finished) {
    const [row] = query<{ closed_at: string; status: string }>(server.databaseFile, "select closed_at, status from sessions where session_id = ?", b.sessionId);
    assert.is(row!.status, b.status);
    const date = businessDateOf(new Date(row!.closed_at), seoul);
    byDate.set(date, [...(byDate.get(date) ?? []), b]);
  }
  const expectedOpen = open.map((b) => ({ tableId: b.tableId, sessionId: b.sessionId, outstandingWon: outstanding(b) })).sort((x, y) => x.tableId.localeCompare(y.tableId));
  for (const [date, sessions] of byDate) {
    const { report } = dataOf(await call(server, "GET", `/api/reports/sales?date=${date}`, admin));
    const expected = expectedFigures(sessions);
    assert.equal(figuresOf(report), expected, `report of ${date}`);
    assert.equal(report.openTables.map((o: any) => ({ tableId: o.tableId, sessionId: o.sessionId, outstandingWon: o.outstandingWon })).sort((x: any, y: any) => x.tableId.localeCompare(y.tableId)), expectedOpen);
    assert.equal(report.unsettled, { payments: [], refunds: [], cartCharges: [] });
    const csv = await call(server, "GET", `/api/reports/sales?date=${date}&format=csv`, admin);
    assert.match(csv.contentType, /^text\/csv; charset=utf-8/);
    const back = figuresFromCsv(csv.text);
    assert.equal(back.figures, expected, `CSV of ${date}`);
    assert.is(back.businessDate, date);
    assert.is(back.openTables, expectedOpen.length);
    assert.is(back.openOutstanding, expectedOpen.reduce((s, o) => s + o.outstandingWon, 0));
  }
}

/** A day that surely holds every case, run before the random ones. */
const kimchi: Line = { menuId: "kimchi-jjigae", quantity: 2, optionIds: ["hot", "rice"] };
const beers: Line = { menuId: "beer", quantity: 3, optionIds: ["1000"] };
const card = (bin: string, share: number) => ({ method: "card" as const, bin, share });
const cash = (share: number) => ({ method: "cash" as const, bin: "541707", share });
const everyCase: Plan[] = [
  { guests: 4, batches: [[kimchi, beers], [{ menuId: "cola", quantity: 2, optionIds: [] }]], voidAction: "reduce", voidPick: 1, adjustment: { kind: "percent_discount", percent: 10, reasonCode: "regular_customer" },
    declined: true, tenders: [card("536112", 40), cash(30), card("625104", 50)], refundShare: 25, ending: "paid" },
  { guests: 2, batches: [[kimchi], [beers]], voidAction: "cancel", voidPick: 0, adjustment: { kind: "service_charge", percent: 10, reasonCode: "service_charge" }, declined: false, tenders: [cash(50)], refundShare: 50, ending: "writeOff" },
  { guests: 3, batches: [[beers]], voidAction: "none", voidPick: 0, adjustment: undefined, declined: true, tenders: [cash(50)], refundShare: undefined, ending: "calledOff" },
  { guests: 1, batches: [[kimchi]], voidAction: "none", voidPick: 0, adjustment: { kind: "comp", reasonCode: "manager_comp" }, declined: false, tenders: [card("541707", 50)], refundShare: undefined, ending: "paid" },
  { guests: 2, batches: [[beers]], voidAction: "none", voidPick: 0, adjustment: { kind: "coupon", amount: 2000, reasonCode: "coupon" }, declined: false, tenders: [card("451842", 30)], refundShare: 10, ending: "leftOpen" },
];

t("for random days of sessions, the report and its CSV equal the sums of the sessions closed on each business date", async () => {
  const allTables = Array.from({ length: 12 }, (_, i) => `T${i + 1}`);
  await fc.assert(
    fc.asyncProperty(fc.array(plan, { minLength: 1, maxLength: 4 }), async (day) => {
      for (const leftover of open) await settleLeftover(leftover);
      open = [];
      for (const [i, p] of day.entries()) await playSession(allTables[i]!, p);
      await checkReports();
    }),
    // One live server keeps the books of every run: a failing run cannot be replayed by shrinking.
    { numRuns: 10, endOnFailure: true, includeErrorInReport: true, examples: [[everyCase]] },
  );
  for (const leftover of open) await settleLeftover(leftover);
  open = [];
  await checkReports();
  // The books saw every kind of day event the report sums (the example day above guarantees it).
  const all = finished.flatMap((b) => [b.status, ...b.adjustments.map((a) => a.kind), ...(b.refunds.length ? ["refund"] : []), ...(b.reductions.length ? ["reduce"] : []), ...(b.voidItems.length ? ["void"] : []), ...(b.declined.length ? ["declined"] : [])]);
  for (const kind of ["closed", "cancelled", "percent_discount", "service_charge", "comp", "coupon", "correction", "refund", "reduce", "void", "declined"]) assert.ok(all.includes(kind), `no ${kind} in the books`);
});

t.run();

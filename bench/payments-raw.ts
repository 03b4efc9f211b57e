import type Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { chainHash, genesisHash, openStorage, type Sqlite, type Storage } from "../storage/index.ts";
import { tempDir } from "../test/support/server-process.ts";
import { removeBenchDir } from "./server-control.ts";
import { LatencyRecorder, round, type LatencySummary } from "./stats.ts";
import { benchStore } from "./settings.ts";
import { paymentsSettings as s } from "./payments-settings.ts";

/**
 * What one command of the terminals' loop writes on the real server (counted on a live server with
 * one cycle of each method; the sessions row is inserted by the open and upserted by every later
 * command, the payments row inserted by the intent and updated by the approval).
 */
export const rowsPerCommand = {
  open: { processed_commands: 1, session_events: 1, outbox: 1, audit_log: 1, sessions: 1 },
  confirm: { processed_commands: 1, session_events: 3, outbox: 3, order_batches: 1, order_items: 1, kitchen_tickets: 1, print_slips: 1, audit_log: 1 },
  /** One transaction: PaymentRequested + PaymentApproved + SessionClosed, the payments insert and update, the session closed. */
  cash: { processed_commands: 1, session_events: 3, outbox: 3, payments: 1, audit_log: 1 },
  /** Intent (PaymentRequested, payments insert), then the result (PaymentApproved + SessionClosed, payments update, key `<cmdId>#result`). */
  cardIntent: { processed_commands: 1, session_events: 1, outbox: 1, payments: 1, audit_log: 1 },
  cardResult: { processed_commands: 1, session_events: 2, outbox: 2, audit_log: 1 },
} as const;

export interface RawPaymentsSlice {
  readonly label: string;
  readonly durationS: number;
  /** Whole cycles (open, confirm, payment); cash and card alternate, as the terminals split half and half. */
  readonly cycles: number;
  readonly cash: { readonly payments: number; readonly perSecond: number; readonly latency: LatencySummary };
  /** latency = intent + result transactions (no provider call in between: the raw has no VAN). */
  readonly card: { readonly payments: number; readonly perSecond: number; readonly latency: LatencySummary; readonly intent: LatencySummary; readonly result: LatencySummary };
  /** Payments per second of time spent in payment transactions only (cash 1, card 2), half cash, half card. */
  readonly paymentsPerSecond: number;
  /** Payments per second of the whole loop: open + confirm + payment transactions, like the terminals' cycle. */
  readonly cyclePaymentsPerSecond: number;
}

export interface RawPaymentsResult {
  readonly file: string;
  readonly rowsPerCommand: typeof rowsPerCommand;
  readonly slices: readonly RawPaymentsSlice[];
  /** All slices together. */
  readonly overall: {
    readonly durationS: number;
    readonly cycles: number;
    readonly paymentsPerSecond: number;
    readonly cyclePaymentsPerSecond: number;
    readonly cash: LatencySummary;
    readonly card: LatencySummary;
  };
}

const actor = { id: benchStore.terminal.id, role: "admin", name: "박관리" } as const;
const storeId = benchStore.storeId;
const rawTableId = "T-raw";
const printerId = "demo-emulator";
const line = { menuId: "kimchi-jjigae", name: "김치찌개", stationId: "kitchen", quantity: 2, unitPrice: 9000, options: [{ id: "hot", name: "매운맛", priceDelta: 0 }], note: "", lineTotal: 18_000 };
const total = line.lineTotal;

const sql = {
  command: "insert into processed_commands (cmd_id, store_id, actor_id, command_type, body_hash, reply, created_at) values (?, ?, ?, ?, ?, ?, ?)",
  event: "insert into session_events (session_id, seq, type, v, payload, at, actor_id, cmd_id) values (?, ?, ?, ?, ?, ?, ?, ?)",
  outbox: "insert into outbox (event_id, store_id, session_id, topic, payload, created_at) values (?, ?, ?, ?, ?, ?)",
  batch: "insert into order_batches (batch_id, session_id, batch_no, source, total_won, confirmed_at, confirmed_by, cmd_id) values (?, ?, ?, ?, ?, ?, ?, ?)",
  item: `insert into order_items (item_id, batch_id, session_id, menu_id, name, station_id, quantity, unit_price_won, options, note,
    line_total_won, source, state, replaces_item_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ticket: `insert into kitchen_tickets (ticket_id, session_id, store_id, table_id, batch_id, batch_no, station_id, kind, item_ids, state, created_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  // storage/print-store.ts insertSlip, verbatim.
  slip: `insert into print_slips (slip_key, store_id, ticket_id, station_id, printer_id, backup_from, reprint_no, reprint_of, state, needs_mark, created_at, updated_at)
    values (@slipKey, @storeId, @ticketId, @stationId, @printerId, @backupFrom, @reprintNo, @reprintOf, 'pending', @needsMark, @at, @at)
    on conflict (slip_key) do nothing`,
  payment: `insert into payments (payment_id, session_id, store_id, table_id, method, requested_won, status, label, installment_months, requested_at, requested_by)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  // storage/projection.ts approvePayment, verbatim.
  approve: `update payments set status = @status, approved_won = @approved_won, change_won = @change_won, provider = @provider, approval_no = @approval_no,
    transaction_id = @transaction_id, card_issuer = @card_issuer, masked_card_no = @masked_card_no, provider_raw = @provider_raw, settled_at = @at
    where payment_id = @payment_id and status = 'pending'`,
  audit: `insert into audit_log (at, store_id, actor_id, actor_role, action, entity_type, entity_id, session_id, before, after, reason, cmd_id, prev_hash, hash)
    values (@at, @store_id, @actor_id, @actor_role, @action, @entity_type, @entity_id, @session_id, @before, @after, @reason, @cmd_id, @prev_hash, @hash)`,
  // storage/projection.ts upsertSession, verbatim.
  session: `insert into sessions (session_id, store_id, table_id, status, version, guests, total_won, opened_at, closed_at)
    values (@session_id, @store_id, @table_id, @status, @version, @guests, @total_won, @opened_at, @closed_at)
    on conflict (session_id) do update set status = excluded.status, version = excluded.version,
      guests = excluded.guests, total_won = excluded.total_won,
      closed_at = case when excluded.closed_at is null then null else coalesce(sessions.closed_at, excluded.closed_at) end`,
} as const;

/**
 * The payments ceiling: bare better-sqlite3 on a fresh file (openStorage's pragmas: WAL +
 * synchronous=FULL, and its migrated schema), writing exactly what the terminals' loop makes the
 * server write, one IMMEDIATE durable transaction per command (a cash payment 1, a card payment 2),
 * from a tight loop; no Kysely, no server, no group commit, no VAN. Sliced like the confirm ceiling.
 */
export class RawPayments {
  readonly #slices: RawPaymentsSlice[] = [];
  readonly #overall = { cash: new LatencyRecorder(s.latencySamplesMax), card: new LatencyRecorder(s.latencySamplesMax), paymentMs: 0, seconds: 0 };
  #counts = { cycles: 0, cash: 0, card: 0 };

  private constructor(
    readonly file: string,
    private readonly storage: Storage,
    private readonly writer: ReturnType<typeof rawPaymentWriter>,
  ) {}

  static async open(): Promise<RawPayments> {
    const file = join(tempDir("bench-raw-payments"), "raw-payments.sqlite");
    const storage = await openStorage(file); // migrations only; every write below is raw
    return new RawPayments(file, storage, rawPaymentWriter(storage.sqlite));
  }

  /** Whole cycles for `durationMs`: open, confirm, then cash (even cycles) or card (odd). */
  slice(label: string, durationMs: number = s.rawSliceMs): RawPaymentsSlice {
    const recorder = () => new LatencyRecorder(s.latencySamplesMax);
    const cash = recorder();
    const card = recorder();
    const intent = recorder();
    const result = recorder();
    let cashMs = 0;
    let cardMs = 0;
    let cycles = 0;
    const startedAt = performance.now();
    const endAt = startedAt + durationMs;
    while (performance.now() < endAt) {
      const session = this.writer.open();
      this.writer.confirm(session);
      const t0 = performance.now();
      if (cycles % 2 === 0) {
        this.writer.cash(session);
        const ms = performance.now() - t0;
        cash.record(ms);
        this.#overall.cash.record(ms);
        cashMs += ms;
      } else {
        this.writer.cardIntent(session);
        const t1 = performance.now();
        this.writer.cardResult(session);
        const t2 = performance.now();
        intent.record(t1 - t0);
        result.record(t2 - t1);
        card.record(t2 - t0);
        this.#overall.card.record(t2 - t0);
        cardMs += t2 - t0;
      }
      cycles += 1;
    }
    const durationS = (performance.now() - startedAt) / 1000;
    this.#counts.cycles += cycles;
    this.#counts.cash += cash.count;
    this.#counts.card += card.count;
    this.#overall.paymentMs += cashMs + cardMs;
    this.#overall.seconds += durationS;
    const perSecond = (n: number, ms: number) => (ms > 0 ? round(n / (ms / 1000), 1) : Number.NaN);
    const slice: RawPaymentsSlice = {
      label,
      durationS: round(durationS, 3),
      cycles,
      cash: { payments: cash.count, perSecond: perSecond(cash.count, cashMs), latency: cash.summary() },
      card: { payments: card.count, perSecond: perSecond(card.count, cardMs), latency: card.summary(), intent: intent.summary(), result: result.summary() },
      paymentsPerSecond: perSecond(cycles, cashMs + cardMs),
      cyclePaymentsPerSecond: round(cycles / durationS, 1),
    };
    this.#slices.push(slice);
    return slice;
  }

  /** Checks the raw loop wrote exactly the rows the server writes per command, then deletes the file. */
  async finish(): Promise<RawPaymentsResult> {
    try {
      this.writer.checkRowCounts(this.#counts);
    } finally {
      await this.storage.close();
      removeBenchDir(dirname(this.file));
    }
    const o = this.#overall;
    const overall = {
      durationS: round(o.seconds, 3), cycles: this.#counts.cycles,
      paymentsPerSecond: round(this.#counts.cycles / (o.paymentMs / 1000), 1), cyclePaymentsPerSecond: round(this.#counts.cycles / o.seconds, 1),
      cash: o.cash.summary(), card: o.card.summary(),
    };
    return { file: this.file, rowsPerCommand, slices: [...this.#slices], overall };
  }
}

interface RawSession {
  readonly sessionId: string;
  readonly openedAt: string;
  version: number;
  batchId: string;
  itemId: string;
}

/** Prepared statements; one method per command, each one IMMEDIATE transaction. */
function rawPaymentWriter(sqlite: Sqlite) {
  const st = Object.fromEntries(Object.entries(sql).map(([k, text]) => [k, sqlite.prepare(text)])) as Record<keyof typeof sql, Database.Statement<unknown[]>>;
  let prevHash = genesisHash;
  const meta = (at: string) => ({ v: 1, at, actor });

  function command(cmdId: string, type: string, data: unknown, at: string): void {
    st.command.run(cmdId, storeId, actor.id, type, "0".repeat(64), JSON.stringify({ cmdId, ok: true, data }), at);
  }
  function events(session: RawSession, cmdId: string, list: readonly ({ type: string } & Record<string, unknown>)[]): void {
    for (const event of list) {
      session.version += 1;
      const payload = JSON.stringify(event);
      st.event.run(session.sessionId, session.version, event.type, 1, payload, event.at, actor.id, cmdId);
      st.outbox.run(`${session.sessionId}:${session.version}`, storeId, session.sessionId, event.type, payload, event.at);
    }
  }
  function saveSession(session: RawSession, status: string, totalWon: number, at: string): void {
    st.session.run({
      session_id: session.sessionId, store_id: storeId, table_id: rawTableId, status, version: session.version, guests: 2, total_won: totalWon,
      opened_at: session.openedAt, closed_at: status === "closed" ? at : null,
    });
  }
  function audit(session: RawSession, cmdId: string, at: string, action: string, entityType: string, entityId: string, before: unknown, after: unknown): void {
    const row = {
      at, store_id: storeId, actor_id: actor.id, actor_role: actor.role, action, entity_type: entityType, entity_id: entityId, session_id: session.sessionId,
      before: before === null ? null : JSON.stringify(before), after: JSON.stringify(after), reason: null, cmd_id: cmdId,
    };
    const hash = chainHash(prevHash, row);
    st.audit.run({ ...row, prev_hash: prevHash, hash });
    prevHash = hash;
  }
  /** paymentView (rooms/table/payment-view.ts): the reply every payment command stores. */
  function view(paymentId: string, method: string, status: string, approved: number, tendered: number, provider: ReturnType<typeof providerRecord> | null, outstanding: number, sessionStatus: string, version: number) {
    return {
      paymentId, status, method, requestedWon: total, approvedWon: approved, tenderedWon: tendered, changeWon: 0, refundedWon: 0,
      approvalNo: provider?.approvalNo ?? null, cardIssuer: provider?.cardIssuer ?? null, maskedCardNo: provider?.maskedCardNo ?? null, installmentMonths: 0,
      voidReason: null, outstandingWon: outstanding, sessionStatus, version,
    };
  }
  function approve(paymentId: string, provider: ReturnType<typeof providerRecord> | null, at: string): void {
    const changed = st.approve.run({
      payment_id: paymentId, status: "approved", approved_won: total, change_won: 0, provider: provider?.provider ?? null, approval_no: provider?.approvalNo ?? null,
      transaction_id: provider?.transactionId ?? null, card_issuer: provider?.cardIssuer ?? null, masked_card_no: provider?.maskedCardNo ?? null,
      provider_raw: provider ? JSON.stringify(provider.raw) : null, at,
    });
    if (changed.changes !== 1) throw new Error(`raw: payment ${paymentId} not pending`);
  }
  function closed(at: string) {
    return { type: "SessionClosed", ...meta(at), reason: "paid", total };
  }

  const open = sqlite.transaction((): RawSession => {
    const at = new Date().toISOString();
    const cmdId = randomUUID();
    const session: RawSession = { sessionId: randomUUID(), openedAt: at, version: 0, batchId: "", itemId: "" };
    events(session, cmdId, [{ type: "SessionOpened", ...meta(at), sessionId: session.sessionId, storeId, tableId: rawTableId, guests: 2 }]);
    saveSession(session, "open", 0, at);
    command(cmdId, "OpenSession", { sessionId: session.sessionId, version: session.version }, at);
    audit(session, cmdId, at, "session.open", "session", session.sessionId, null, { status: "open", guests: 2 });
    return session;
  });
  const confirm = sqlite.transaction((session: RawSession): void => {
    const at = new Date().toISOString();
    const cmdId = randomUUID();
    const batchId = randomUUID();
    const itemId = `${batchId}-1`;
    const ticketId = `${batchId}-${line.stationId}`;
    const slipKey = `${ticketId}:new`;
    session.batchId = batchId;
    session.itemId = itemId;
    events(session, cmdId, [
      { type: "BatchConfirmed", ...meta(at), batchId, batchNo: 1, source: "pos", items: [{ ...line, itemId }], total },
      { type: "KitchenTicketCreated", ...meta(at), ticketId, batchId, batchNo: 1, stationId: line.stationId, kind: "new", itemIds: [itemId] },
      { type: "TicketPrintRequested", ...meta(at), ticketId, stationId: line.stationId, slipKey },
    ]);
    st.batch.run(batchId, session.sessionId, 1, "pos", total, at, actor.id, cmdId);
    st.item.run(itemId, batchId, session.sessionId, line.menuId, line.name, line.stationId, line.quantity, line.unitPrice, JSON.stringify(line.options), line.note, line.lineTotal, "pos", "waiting", null, at);
    st.ticket.run(ticketId, session.sessionId, storeId, rawTableId, batchId, 1, line.stationId, "new", JSON.stringify([itemId]), "waiting", at);
    st.slip.run({ slipKey, storeId, ticketId, stationId: line.stationId, printerId, backupFrom: null, reprintNo: 0, reprintOf: null, needsMark: 0, at });
    saveSession(session, "in_kitchen", total, at);
    command(cmdId, "ConfirmDraft", { batchId, batchNo: 1, totalWon: total, itemIds: [itemId], version: session.version, sessionTotalWon: total }, at);
    audit(session, cmdId, at, "batch.confirm", "batch", batchId, { sessionTotal: 0 },
      { batchNo: 1, total, items: [{ itemId, menuId: line.menuId, quantity: line.quantity, lineTotal: line.lineTotal }], sessionTotal: total });
  });
  const cash = sqlite.transaction((session: RawSession): void => {
    const at = new Date().toISOString();
    const cmdId = randomUUID();
    const paymentId = randomUUID();
    events(session, cmdId, [
      { type: "PaymentRequested", ...meta(at), paymentId, method: "cash", amount: total, installmentMonths: 0, label: "" },
      { type: "PaymentApproved", ...meta(at), paymentId, amount: total, partial: false, tendered: total, change: 0, provider: null },
      closed(at),
    ]);
    st.payment.run(paymentId, session.sessionId, storeId, rawTableId, "cash", total, "pending", "", 0, at, actor.id);
    approve(paymentId, null, at);
    saveSession(session, "closed", total, at);
    command(cmdId, "RequestPayment", view(paymentId, "cash", "approved", total, total, null, 0, "closed", session.version), at);
    audit(session, cmdId, at, "payment.request", "payment", paymentId, { status: null, outstanding: total },
      { status: "approved", method: "cash", requested: total, approved: total, change: 0, approvalNo: null, outstanding: 0, sessionStatus: "closed" });
  });
  const pendingCard = new Map<string, { paymentId: string; cmdId: string }>();
  const cardIntent = sqlite.transaction((session: RawSession): void => {
    const at = new Date().toISOString();
    const cmdId = randomUUID();
    const paymentId = randomUUID();
    events(session, cmdId, [{ type: "PaymentRequested", ...meta(at), paymentId, method: "card", amount: total, installmentMonths: 0, label: "" }]);
    st.payment.run(paymentId, session.sessionId, storeId, rawTableId, "card", total, "pending", "", 0, at, actor.id);
    saveSession(session, "paying", total, at);
    command(cmdId, "RequestPayment", view(paymentId, "card", "pending", 0, 0, null, total, "paying", session.version), at);
    audit(session, cmdId, at, "payment.request", "payment", paymentId, { status: null, outstanding: total },
      { status: "pending", method: "card", requested: total, approved: 0, change: 0, approvalNo: null, outstanding: total, sessionStatus: "paying" });
    pendingCard.set(session.sessionId, { paymentId, cmdId });
  });
  const cardResult = sqlite.transaction((session: RawSession): void => {
    const at = new Date().toISOString();
    const intent = pendingCard.get(session.sessionId);
    if (!intent) throw new Error("raw: card result without an intent");
    pendingCard.delete(session.sessionId);
    const cmdId = `${intent.cmdId}#result`;
    const provider = providerRecord(intent.paymentId, at);
    events(session, cmdId, [
      { type: "PaymentApproved", ...meta(at), paymentId: intent.paymentId, amount: total, partial: false, tendered: 0, change: 0, provider },
      closed(at),
    ]);
    approve(intent.paymentId, provider, at);
    saveSession(session, "closed", total, at);
    command(cmdId, "RecordPaymentResult", view(intent.paymentId, "card", "approved", total, 0, provider, 0, "closed", session.version), at);
    audit(session, cmdId, at, "payment.result", "payment", intent.paymentId, { status: "pending", outstanding: total },
      { status: "approved", method: "card", requested: total, approved: total, change: 0, approvalNo: provider.approvalNo, outstanding: 0, sessionStatus: "closed" });
  });

  return {
    open: () => open.immediate(),
    confirm: (session: RawSession) => confirm.immediate(session),
    cash: (session: RawSession) => cash.immediate(session),
    cardIntent: (session: RawSession) => cardIntent.immediate(session),
    cardResult: (session: RawSession) => cardResult.immediate(session),
    /** Guards the comparison: the raw loop must have written exactly what the server writes per cycle. */
    checkRowCounts(counts: { cycles: number; cash: number; card: number }): void {
      const expected = new Map<string, number>();
      const add = (rows: Record<string, number>, times: number) => {
        for (const [table, n] of Object.entries(rows)) expected.set(table, (expected.get(table) ?? 0) + n * times);
      };
      add(rowsPerCommand.open, counts.cycles);
      add(rowsPerCommand.confirm, counts.cycles);
      add(rowsPerCommand.cash, counts.cash);
      add(rowsPerCommand.cardIntent, counts.card);
      add(rowsPerCommand.cardResult, counts.card);
      for (const [table, n] of expected) {
        const rows = sqlite.prepare(`select count(*) from ${table}`).pluck().get() as number;
        if (rows !== n) throw new Error(`raw payments wrote ${rows} ${table} rows, expected ${n}`);
      }
      const notDone = sqlite.prepare("select (select count(*) from payments where status != 'approved') + (select count(*) from sessions where status != 'closed')").pluck().get() as number;
      if (notDone !== 0) throw new Error(`raw payments left ${notDone} payments not approved or sessions not closed`);
    },
  };
}

/** What the card adapter records of a VAN approval (same keys and sizes as the simulator's answer). */
function providerRecord(orderId: string, at: string) {
  const tid = `A${Date.now()}${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`.slice(0, 19);
  const approvalNo = String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
  const approvedAt = at.replace(/\.\d{3}Z$/, "+09:00");
  const card = { issuer: "신한카드", acquirer: "신한카드", number: "451842******5678", cardType: "신용", installmentMonths: 0 };
  return {
    provider: "van", approvalNo, transactionId: tid, approvedAt, cardIssuer: card.issuer, cardAcquirer: card.acquirer, maskedCardNo: card.number, installmentMonths: 0,
    raw: {
      status: "approved", orderId, storeId, method: "card", tid, approvalNo, approvedAt, requestedAmount: total, amount: total, partial: false,
      vat: Math.round(total / 11), suppliedAmount: total - Math.round(total / 11), installmentMonths: 0, card,
    },
  };
}

import type Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { chainHash, genesisHash, openStorage, type Sqlite, type Storage } from "../storage/index.ts";
import { tempDir } from "../test/support/server-process.ts";
import { removeBenchDir } from "./server-control.ts";
import { LatencyRecorder, round, type LatencySummary } from "./stats.ts";
import { benchSettings, benchStore } from "./settings.ts";

export interface RawSlice {
  readonly label: string;
  readonly durationS: number;
  readonly transactions: number;
  readonly confirmsPerSecond: number;
  readonly latency: LatencySummary;
}

export interface RawResult {
  readonly file: string;
  readonly rowsPerTransaction: Record<string, number>;
  /** Short runs spread over the whole benchmark: the disk's fsync time drifts on a shared machine. */
  readonly slices: readonly RawSlice[];
  readonly overall: Omit<RawSlice, "label">;
}

/** The rows one confirm writes (test/rooms/draft-and-confirm.test.ts checks the same counts). */
export const rowsPerConfirm = {
  processed_commands: 1, session_events: 5, outbox: 5, order_batches: 1, order_items: 2, kitchen_tickets: 2, audit_log: 1, sessions: 1,
} as const;

const sql = {
  command: "insert into processed_commands (cmd_id, store_id, actor_id, command_type, body_hash, reply, created_at) values (?, ?, ?, ?, ?, ?, ?)",
  event: "insert into session_events (session_id, seq, type, v, payload, at, actor_id, cmd_id) values (?, ?, ?, ?, ?, ?, ?, ?)",
  outbox: "insert into outbox (event_id, store_id, session_id, topic, payload, created_at) values (?, ?, ?, ?, ?, ?)",
  batch: "insert into order_batches (batch_id, session_id, batch_no, source, total_won, confirmed_at, confirmed_by, cmd_id) values (?, ?, ?, ?, ?, ?, ?, ?)",
  item: `insert into order_items (item_id, batch_id, session_id, menu_id, name, station_id, quantity, unit_price_won, options, note,
    line_total_won, source, state, replaces_item_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ticket: `insert into kitchen_tickets (ticket_id, session_id, store_id, table_id, batch_id, batch_no, station_id, kind, item_ids, state, created_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  audit: `insert into audit_log (at, store_id, actor_id, actor_role, action, entity_type, entity_id, session_id, before, after, reason, cmd_id, prev_hash, hash)
    values (@at, @store_id, @actor_id, @actor_role, @action, @entity_type, @entity_id, @session_id, @before, @after, @reason, @cmd_id, @prev_hash, @hash)`,
  // The projector's upsert, verbatim.
  session: `insert into sessions (session_id, store_id, table_id, status, version, guests, total_won, opened_at, closed_at)
    values (@session_id, @store_id, @table_id, @status, @version, @guests, @total_won, @opened_at, @closed_at)
    on conflict (session_id) do update set status = excluded.status, version = excluded.version,
      guests = excluded.guests, total_won = excluded.total_won, closed_at = coalesce(sessions.closed_at, excluded.closed_at)`,
} as const;

// The same actor as the confirm clients (settings.ts: benchStore.terminal).
const actor = { id: benchStore.terminal.id, role: "admin", name: "박관리" } as const;
const storeId = benchStore.storeId;
const rawTableId = "T1";

/**
 * The ceiling: bare better-sqlite3 on a fresh file (WAL + synchronous=FULL, the migrated schema),
 * one durable transaction per confirm, from a tight loop; no Kysely, no server, no group commit.
 * Run it in slices between the server levels (`slice`), then `finish` checks the rows and sums up.
 */
export class RawBenchmark {
  readonly #slices: RawSlice[] = [];
  readonly #overall = new LatencyRecorder(benchSettings.latencySamplesMax);
  #transactions = 0;
  #seconds = 0;

  private constructor(
    readonly file: string,
    private readonly storage: Storage,
    private readonly writer: ReturnType<typeof rawConfirmWriter>,
  ) {}

  static async open(): Promise<RawBenchmark> {
    const file = join(tempDir("bench-raw"), "raw.sqlite");
    const storage = await openStorage(file); // migrations only; every write below is raw
    return new RawBenchmark(file, storage, rawConfirmWriter(storage.sqlite));
  }

  /** Confirms from a tight loop for `durationMs`, one IMMEDIATE durable transaction each. */
  slice(label: string, durationMs: number = benchSettings.rawSliceMs): RawSlice {
    const latency = new LatencyRecorder(benchSettings.latencySamplesMax);
    const startedAt = performance.now();
    const endAt = startedAt + durationMs;
    let transactions = 0;
    while (performance.now() < endAt) {
      const t0 = performance.now();
      this.writer.confirm();
      const ms = performance.now() - t0;
      latency.record(ms);
      this.#overall.record(ms);
      transactions += 1;
    }
    const durationS = (performance.now() - startedAt) / 1000;
    this.#transactions += transactions;
    this.#seconds += durationS;
    const slice = { label, durationS: round(durationS, 3), transactions, confirmsPerSecond: round(transactions / durationS, 1), latency: latency.summary() };
    this.#slices.push(slice);
    return slice;
  }

  async finish(): Promise<RawResult> {
    try {
      this.writer.checkRowCounts(this.#transactions);
    } finally {
      await this.storage.close();
      removeBenchDir(dirname(this.file));
    }
    const overall = {
      durationS: round(this.#seconds, 3), transactions: this.#transactions,
      confirmsPerSecond: round(this.#transactions / this.#seconds, 1), latency: this.#overall.summary(),
    };
    return { file: this.file, rowsPerTransaction: { ...rowsPerConfirm }, slices: [...this.#slices], overall };
  }
}

/** Prepared statements plus one session; `confirm()` writes one confirm's rows in one IMMEDIATE transaction. */
function rawConfirmWriter(sqlite: Sqlite) {
  const statements = Object.fromEntries(Object.entries(sql).map(([k, text]) => [k, sqlite.prepare(text)])) as Record<keyof typeof sql, Database.Statement<unknown[]>>;
  const sessionId = randomUUID();
  const openedAt = new Date().toISOString();
  const session = { session_id: sessionId, store_id: storeId, table_id: rawTableId, status: "open", version: 1, guests: 2, total_won: 0, opened_at: openedAt, closed_at: null };
  statements.session.run(session); // the row the foreign keys point at
  let version = 1;
  let batchNo = 0;
  let total = 0;
  let prevHash = genesisHash;
  const write = sqlite.transaction(() => {
    const at = new Date().toISOString();
    const cmdId = randomUUID();
    const batchId = randomUUID();
    batchNo += 1;
    const confirm = fakeConfirm(batchId, batchNo, at);
    total += confirm.total;
    const reply = { cmdId, ok: true, data: { batchId, batchNo, totalWon: confirm.total, itemIds: confirm.items.map((i) => i.itemId), version: version + 5, sessionTotalWon: total } };
    statements.command.run(cmdId, storeId, actor.id, "ConfirmDraft", "0".repeat(64), JSON.stringify(reply), at);
    confirm.events.forEach((event, index) => {
      const seq = version + index + 1;
      const payload = JSON.stringify(event);
      statements.event.run(sessionId, seq, event.type, 1, payload, at, actor.id, cmdId);
      statements.outbox.run(`${sessionId}:${seq}`, storeId, sessionId, event.type, payload, at);
    });
    statements.batch.run(batchId, sessionId, batchNo, "pos", confirm.total, at, actor.id, cmdId);
    for (const item of confirm.items) {
      statements.item.run(item.itemId, batchId, sessionId, item.menuId, item.name, item.stationId, item.quantity, item.unitPrice,
        JSON.stringify(item.options), item.note, item.lineTotal, "pos", "waiting", null, at);
    }
    for (const ticket of confirm.tickets) {
      statements.ticket.run(ticket.ticketId, sessionId, storeId, rawTableId, batchId, batchNo, ticket.stationId, "new", JSON.stringify(ticket.itemIds), "waiting", at);
    }
    version += confirm.events.length;
    statements.session.run({ ...session, status: "in_kitchen", version, total_won: total });
    const row = {
      at, store_id: storeId, actor_id: actor.id, actor_role: actor.role, action: "batch.confirm", entity_type: "batch", entity_id: batchId, session_id: sessionId,
      before: JSON.stringify({ sessionTotal: total - confirm.total }), after: JSON.stringify({ batchNo, total: confirm.total, items: reply.data.itemIds, sessionTotal: total }), reason: null, cmd_id: cmdId,
    };
    const hash = chainHash(prevHash, row);
    statements.audit.run({ ...row, prev_hash: prevHash, hash });
    prevHash = hash;
  });
  return {
    confirm: () => write.immediate(),
    /** Guards the comparison: the raw loop must have written exactly what a confirm writes. */
    checkRowCounts(transactions: number): void {
      for (const [table, perConfirm] of Object.entries(rowsPerConfirm)) {
        const rows = sqlite.prepare(`select count(*) from ${table}`).pluck().get() as number;
        const expected = table === "sessions" ? 1 : perConfirm * transactions;
        if (rows !== expected) throw new Error(`raw benchmark wrote ${rows} ${table} rows, expected ${expected}`);
      }
    },
  };
}

/** The events, items and tickets the domain makes for the benchmark's two lines (same shapes and sizes). */
function fakeConfirm(batchId: string, batchNo: number, at: string) {
  const meta = { v: 1, at, actor };
  const items = [
    { itemId: `${batchId}-1`, menuId: "soju", name: "소주", stationId: "bar", quantity: 1, unitPrice: 5000, options: [], note: "", lineTotal: 5000 },
    { itemId: `${batchId}-2`, menuId: "kimchi-jjigae", name: "김치찌개", stationId: "kitchen", quantity: 2, unitPrice: 9000, options: [{ id: "hot", name: "매운맛", priceDelta: 0 }], note: "", lineTotal: 18000 },
  ];
  const total = 23000;
  const tickets = items.map((item) => ({ ticketId: `${batchId}-${item.stationId}`, stationId: item.stationId, itemIds: [item.itemId] }));
  const events: ({ type: string } & Record<string, unknown>)[] = [{ type: "BatchConfirmed", ...meta, batchId, batchNo, source: "pos", items, total }];
  for (const t of tickets) {
    events.push({ type: "KitchenTicketCreated", ...meta, ticketId: t.ticketId, batchId, batchNo, stationId: t.stationId, kind: "new", itemIds: t.itemIds });
    events.push({ type: "TicketPrintRequested", ...meta, ticketId: t.ticketId, stationId: t.stationId, slipKey: `${t.ticketId}:new` });
  }
  return { items, total, tickets, events };
}

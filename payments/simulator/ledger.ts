import { closeSync, existsSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { assert, assertNever } from "../../domain/assert.ts";
import { simulatorLimits } from "../limits.ts";
import type { PaymentMethod } from "../provider.ts";

export interface CardInfo {
  readonly issuer: string;
  readonly acquirer: string;
  /** Masked, `541707******1234`. */
  readonly number: string;
  readonly cardType: "신용" | "체크" | "기프트";
}

/** One ledger change; the ledger is these, in order (and the JSON lines of `ledgerFile`). */
export type LedgerEntry =
  | {
      readonly type: "approval"; readonly seq: number; readonly at: string; readonly orderId: string; readonly storeId: string;
      readonly method: Exclude<PaymentMethod, "cash">; readonly requestedAmount: number; readonly amount: number; readonly partial: boolean;
      readonly vat: number; readonly installmentMonths: number; readonly tid: string; readonly approvalNo: string; readonly card: CardInfo;
      /** Which gift card paid (its balance is what approvals on it left). */
      readonly giftCardKey: string | null;
    }
  | { readonly type: "decline"; readonly seq: number; readonly at: string; readonly orderId: string; readonly storeId: string; readonly requestedAmount: number; readonly code: string; readonly message: string }
  | {
      readonly type: "cancel"; readonly seq: number; readonly at: string; readonly orderId: string; readonly tid: string; readonly cancelId: string;
      readonly cancelTid: string; readonly amount: number; readonly remaining: number; readonly reason: string;
    }
  /** 망취소; `voidedAmount` 0 and `tid` null when nothing was there (a tombstone that blocks a late approval). */
  | { readonly type: "net_cancel"; readonly seq: number; readonly at: string; readonly orderId: string; readonly tid: string | null; readonly netCancelTid: string; readonly voidedAmount: number }
  | {
      readonly type: "cash_receipt"; readonly seq: number; readonly at: string; readonly orderId: string; readonly approvalNo: string; readonly amount: number;
      readonly vat: number; readonly purpose: "income_deduction" | "expense_proof"; readonly identityMasked: string;
    };
export type NewEntry = LedgerEntry extends infer E ? (E extends LedgerEntry ? Omit<E, "seq"> : never) : never;

type Approval = Extract<LedgerEntry, { type: "approval" }>;
type Cancel = Extract<LedgerEntry, { type: "cancel" }>;

export interface OrderRecord {
  readonly orderId: string;
  status: "approved" | "declined" | "net_cancelled";
  approval: Approval | null;
  decline: Extract<LedgerEntry, { type: "decline" }> | null;
  cancels: Cancel[];
  netCancel: Extract<LedgerEntry, { type: "net_cancel" }> | null;
}

/** What is left to cancel of an order's approval (0 once net-cancelled). */
export function remainingOf(order: OrderRecord): number {
  if (order.status !== "approved" || !order.approval) return 0;
  return order.approval.amount - order.cancels.reduce((sum, c) => sum + c.amount, 0);
}

/** The simulator's books, folded from entries; with a file, every entry is appended (and fsync'd) before anyone is answered. */
export class Ledger {
  readonly entries: LedgerEntry[] = [];
  readonly orders = new Map<string, OrderRecord>();
  readonly orderIdByTid = new Map<string, string>();
  readonly cancelsById = new Map<string, Cancel>();
  readonly receipts = new Map<string, Extract<LedgerEntry, { type: "cash_receipt" }>>();
  readonly approvalNos = new Set<string>();
  linesSkipped = 0;
  #fd: number | null = null;

  constructor(readonly file?: string) {
    if (file === undefined) return;
    const torn = existsSync(file) && this.#load(file);
    this.#fd = openSync(file, "a");
    if (torn) writeSync(this.#fd, "\n"); // the next line must not glue onto a torn one
  }

  get full(): boolean {
    return this.entries.length >= simulatorLimits.ledgerEntriesMax;
  }

  append(entry: NewEntry): LedgerEntry {
    const full = { ...entry, seq: this.entries.length + 1 } as LedgerEntry;
    if (this.#fd !== null) {
      writeSync(this.#fd, `${JSON.stringify(full)}\n`);
      fsyncSync(this.#fd);
    }
    this.#fold(full);
    return full;
  }

  close(): void {
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }

  #fold(entry: LedgerEntry): void {
    this.entries.push(entry);
    const order = this.orders.get(entry.orderId);
    switch (entry.type) {
      case "approval":
        assert(!order, `approval for a used order id ${entry.orderId}`);
        this.orders.set(entry.orderId, { orderId: entry.orderId, status: "approved", approval: entry, decline: null, cancels: [], netCancel: null });
        this.orderIdByTid.set(entry.tid, entry.orderId);
        this.approvalNos.add(entry.approvalNo);
        return;
      case "decline":
        assert(!order, `decline for a used order id ${entry.orderId}`);
        this.orders.set(entry.orderId, { orderId: entry.orderId, status: "declined", approval: null, decline: entry, cancels: [], netCancel: null });
        return;
      case "cancel":
        assert(order?.status === "approved" && entry.amount <= remainingOf(order), `cancel beyond what remains on ${entry.orderId}`);
        order.cancels.push(entry);
        this.cancelsById.set(entry.cancelId, entry);
        assert(remainingOf(order) === entry.remaining, "cancel remaining disagrees with the ledger");
        return;
      case "net_cancel":
        if (order) {
          order.status = "net_cancelled";
          order.netCancel = entry;
        } else this.orders.set(entry.orderId, { orderId: entry.orderId, status: "net_cancelled", approval: null, decline: null, cancels: [], netCancel: entry });
        return;
      case "cash_receipt":
        this.receipts.set(entry.orderId, entry);
        this.approvalNos.add(entry.approvalNo);
        return;
      default:
        assertNever(entry);
    }
  }

  /** Replays the file; a torn last line (a kill mid-write) is skipped and counted. */
  #load(file: string): boolean {
    const size = statSync(file).size;
    if (size > simulatorLimits.ledgerFileBytesMax) throw new Error(`ledger file ${file} is ${size} bytes, over ${simulatorLimits.ledgerFileBytesMax}`);
    const text = readFileSync(file, "utf8");
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      let entry: LedgerEntry;
      try {
        entry = JSON.parse(line) as LedgerEntry;
      } catch {
        this.linesSkipped += 1;
        continue;
      }
      // A line that contradicts the books is a bug or a hand edit: the asserts in #fold stop the start.
      this.#fold({ ...entry, seq: this.entries.length + 1 });
    }
    return text.length > 0 && !text.endsWith("\n");
  }
}

import type { ReceiptData } from "../../printers/index.ts";
import { amountsOf, liveItems, splitVat, type SessionState } from "../../domain/index.ts";
import type { AuditEntry, CashReceiptRow, DocumentReader } from "../../storage/index.ts";
import { commitEventless, type EventlessParts } from "../eventless-commit.ts";
import type { CommandMeta, Outcome } from "../command-pipeline.ts";
import type { RoomContext, StoreView } from "../context.ts";
import { wireError } from "../../protocol/codes.ts";
import type { TableSession } from "./table-session.ts";
import { isoAt, type Clock } from "../../server/clock.ts";

const kindLabels = { percent_discount: "할인", fixed_discount: "할인", coupon: "쿠폰", comp: "서비스", service_charge: "봉사료", correction: "정정" } as const;

/**
 * The customer receipt (영수증) of a table's session: as data for a screen, and printed on the
 * receipt printer through the print ledger (retried, logged, deduplicated like kitchen slips).
 * Each print freezes its content; the second and later prints say COPY n.
 */
export function receiptDataOf(store: StoreView, state: SessionState, clock: Clock, copy: number, cashReceipts: readonly CashReceiptRow[] = [], widthChars = 42): ReceiptData {
  const amounts = amountsOf(state);
  const cash = cashReceipts.at(-1);
  return {
    store: { ...store.business },
    tableName: store.tables.get(state.tableId)?.name ?? state.tableId,
    receiptNo: `${state.sessionId.slice(0, 8)}-${copy}`,
    sessionId: state.sessionId,
    printedAt: isoAt(clock),
    items: liveItems(state).map((i) => ({
      name: i.name, quantity: i.quantity, unitPrice: i.options.reduce<number>((sum, o) => sum + o.priceDelta, i.unitPrice), lineTotal: i.lineTotal, options: i.options.map((o) => o.name),
    })),
    adjustments: [...state.adjustments.values()].map((a) => ({
      label: `${kindLabels[a.kind]}${a.percent !== null ? ` ${a.percent}%` : ""} (${store.reasonLabels.get(a.reasonCode) ?? a.reasonCode})`, amount: a.amount,
    })),
    total: amounts.sessionTotal,
    taxFree: 0,
    payments: [...state.payments.values()].filter((p) => p.approved > 0).map((p) => ({
      method: p.method,
      amount: p.approved,
      ...(p.method === "cash" ? { tendered: p.tendered, changeGiven: p.change } : {}),
      ...(p.provider ? {
        cardIssuer: p.provider.cardIssuer ?? undefined, maskedCardNo: p.provider.maskedCardNo ?? undefined, approvalNo: p.provider.approvalNo,
        installmentMonths: p.provider.installmentMonths, approvedAt: p.provider.approvedAt,
      } : {}),
      partial: p.status === "partially_approved",
      refunded: p.refunded,
    })),
    ...(cash ? { cashReceipt: { approvalNo: cash.approval_no, purpose: cash.purpose === "expense_proof" ? "expense_proof" : "income_deduction", identityMasked: cash.identity_masked } } : {}),
    outstanding: amounts.outstanding,
    copy,
    widthChars,
  };
}

export class ReceiptDesk {
  readonly #documents: DocumentReader;

  constructor(
    private readonly ctx: RoomContext,
    private readonly store: StoreView,
    private readonly session: TableSession,
  ) {
    this.#documents = ctx.documents;
  }

  data(): ReceiptData {
    const state = this.session.state;
    return receiptDataOf(this.store, state, this.ctx.clock, this.#documents.receiptsPrinted(state.sessionId), this.#documents.cashReceipts(state.sessionId));
  }

  /** Queues the receipt on the receipt station's printer; the content is frozen in the same commit. */
  async print(meta: CommandMeta): Promise<Outcome> {
    const state = this.session.state;
    if (state.status === "none") return { ok: false, error: wireError("NO_SESSION", "no session on this table") };
    const printer = this.ctx.printing.routeFor(this.store.id, this.store.receiptStationId);
    if (!printer) return { ok: false, error: wireError("NOT_FOUND", `no printer for the receipt station ${this.store.receiptStationId}`) };
    const copy = this.#documents.receiptsPrinted(state.sessionId);
    const receiptId = this.ctx.newId();
    const payload = { ...receiptDataOf(this.store, state, this.ctx.clock, copy, this.#documents.cashReceipts(state.sessionId), printer.widthChars), receiptNo: receiptId.slice(0, 12) };
    const at = isoAt(this.ctx.clock);
    const slipKey = `receipt:${receiptId}`;
    const data = { receiptId, copy, slipKey, printerId: printer.id, totalWon: payload.total, vat: splitVat(payload.total) };
    const audit: AuditEntry = {
      at, storeId: this.store.id, actorId: meta.principal.staffId, actorRole: meta.principal.role, action: copy === 0 ? "receipt.print" : "receipt.reprint",
      entityType: "session", entityId: state.sessionId, sessionId: state.sessionId, before: null, after: { receiptId, copy, total: payload.total, outstanding: payload.outstanding }, reason: null, cmdId: meta.cmdId,
    };
    const failed = await this.#commit(meta, "receipt.print", data, {
      documents: [{ kind: "receipt", receiptId, sessionId: state.sessionId, copyNo: copy, payload, at, by: meta.principal.staffId }],
      print: [{ kind: "enqueue", slip: { slipKey, storeId: this.store.id, ticketId: slipKey, stationId: this.store.receiptStationId, printerId: printer.id, at } }],
      audit: [audit],
    }, at);
    if (failed) return failed;
    this.ctx.printing.wake(printer.id);
    return { ok: true, data };
  }

  /** 현금영수증 for a cash payment of this session, through the store's VAN (PAYMENTS-KR.md §4). */
  async issueCashReceipt(command: { paymentId: string; purpose: "income_deduction" | "expense_proof"; identity: string }, meta: CommandMeta): Promise<Outcome> {
    const state = this.session.state;
    const payment = state.payments.get(command.paymentId);
    if (!payment) return { ok: false, error: wireError("NOT_FOUND", "no such payment in this session") };
    if (payment.method !== "cash" || payment.approved - payment.refunded <= 0) return { ok: false, error: wireError("INVALID_TRANSITION", "a cash receipt is for a paid cash payment") };
    if (this.#documents.cashReceipts(state.sessionId).some((c) => c.payment_id === payment.paymentId)) return { ok: false, error: wireError("INVALID_TRANSITION", "this payment already has a cash receipt") };
    const issuer = this.ctx.payments.cashReceipts(this.store.id);
    if (!issuer) return { ok: false, error: wireError("PROVIDER_UNAVAILABLE", "no cash receipt provider configured") };
    const amount = payment.approved - payment.refunded;
    const cashReceiptId = this.ctx.newId();
    const answer = await issuer.issueCashReceipt({ orderId: cashReceiptId, amount, vat: splitVat(amount).vat, purpose: command.purpose, identity: command.identity });
    if (answer.kind === "refused") return { ok: false, error: wireError("PAYMENT_DECLINED", answer.message, { providerCode: answer.code }) };
    if (answer.kind === "unknown") return { ok: false, transient: true, error: wireError("PROVIDER_UNAVAILABLE", `no answer from the provider: ${answer.reason}; retry with the same cmdId`) };
    const identityMasked = maskIdentity(command.identity);
    const at = isoAt(this.ctx.clock);
    const data = { cashReceiptId, paymentId: payment.paymentId, amountWon: amount, approvalNo: answer.approvalNo, purpose: command.purpose, identityMasked };
    const failed = await this.#commit(meta, "cashReceipt.issue", data, {
      documents: [{ kind: "cashReceipt", cashReceiptId, sessionId: state.sessionId, paymentId: payment.paymentId, amount, purpose: command.purpose, identityMasked, approvalNo: answer.approvalNo, raw: answer.raw, at, by: meta.principal.staffId }],
      audit: [{
        at, storeId: this.store.id, actorId: meta.principal.staffId, actorRole: meta.principal.role, action: "cash_receipt.issue", entityType: "payment", entityId: payment.paymentId,
        sessionId: state.sessionId, before: null, after: data, reason: null, cmdId: meta.cmdId,
      }],
    }, at);
    return failed ?? { ok: true, data };
  }

  #commit(meta: CommandMeta, type: string, data: unknown, parts: EventlessParts, at: string): Promise<Outcome | undefined> {
    const context = { storeId: this.store.id, tableId: this.session.tableId, sessionId: this.session.state.sessionId };
    return commitEventless(this.ctx, meta, type, context, parts, data, at);
  }
}

/** 010-1234-5678 → 010****5678; a business number keeps its first 3 and last 2 digits. */
function maskIdentity(identity: string): string {
  if (identity.length <= 5) return "*".repeat(identity.length);
  const keepEnd = identity.length === 10 && !identity.startsWith("01") ? 2 : 4;
  return `${identity.slice(0, 3)}${"*".repeat(identity.length - 3 - keepEnd)}${identity.slice(-keepEnd)}`;
}

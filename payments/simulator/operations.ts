import { randomInt } from "node:crypto";
import { assert } from "../../domain/assert.ts";
import { cardRules } from "../limits.ts";
import { localTimestamp } from "../time-zone.ts";
import { lookUpCard } from "./cards.ts";
import { type Ledger, remainingOf } from "./ledger.ts";
import type { ApproveBody, CancelBody, CashReceiptBody } from "./schemas.ts";
import { approvalView, cancelView, orderView, receiptView } from "./views.ts";

/** An HTTP answer before it is written. */
export interface Answer {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
}

export interface Books {
  readonly ledger: Ledger;
  readonly now: () => Date;
  readonly timeZone: string;
}

export const refuse = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): Answer => ({ status, body: { status: "declined", code, message, ...extra } });
const stamp = (books: Books) => localTimestamp(books.now(), books.timeZone);

/**
 * 승인. The order id is checked first: a second approve for a used id never charges, it answers 409
 * `DUPLICATED_ORDER_ID` with `original` = what `GET /v1/payments/orders/{orderId}` shows for it.
 */
export function approve(books: Books, body: ApproveBody, forced?: { code: string; message?: string | undefined }): Answer {
  const { ledger } = books;
  const used = ledger.orders.get(body.orderId);
  if (used) return refuse(409, "DUPLICATED_ORDER_ID", "이미 사용된 주문번호입니다.", { orderId: body.orderId, original: orderView(used) });
  if (ledger.full) return { status: 503, body: { code: "LEDGER_FULL", message: "simulator ledger is full" } };
  const card = lookUpCard(body.cardToken);
  const decline = (code: string, message: string): Answer => {
    ledger.append({ type: "decline", at: stamp(books), orderId: body.orderId, storeId: body.storeId, requestedAmount: body.amount, code, message });
    return refuse(422, code, message, { orderId: body.orderId });
  };
  if (forced) return decline(forced.code, forced.message ?? "카드사에서 거절한 결제입니다.");
  if (card.kind === "decline") return decline(card.code, card.message);
  if (card.kind === "invalid") return decline("INVALID_CARD_NUMBER", "카드번호를 다시 확인해주세요.");
  if (body.method !== "points" && body.amount < cardRules.amountMinWon) return decline("BELOW_MINIMUM_AMOUNT", "카드 결제는 100원 이상부터 가능합니다.");
  if (body.installmentMonths > 0) {
    if (body.amount < cardRules.installmentAmountMinWon) return decline("EXCEED_MAX_CARD_INSTALLMENT_PLAN", "5만원 미만은 할부가 불가합니다.");
    if (card.card.cardType !== "신용" || body.method === "points") return decline("NOT_SUPPORTED_INSTALLMENT_PLAN_CARD_OR_MERCHANT", "할부가 지원되지 않는 카드입니다.");
  }
  let amount = body.amount;
  if (card.kind === "gift") {
    const balance = giftBalance(ledger, card.key, card.initialBalance);
    if (balance <= 0) return decline("INSUFFICIENT_BALANCE", "잔액이 부족합니다.");
    amount = Math.min(balance, body.amount); // 부분승인: the card gives what it holds
  }
  const seq = ledger.entries.length + 1;
  const entry = ledger.append({
    type: "approval", at: stamp(books), orderId: body.orderId, storeId: body.storeId, method: body.method, requestedAmount: body.amount, amount,
    partial: amount < body.amount, vat: amount === body.amount ? body.vat : Math.round((body.vat * amount) / body.amount),
    installmentMonths: body.installmentMonths, tid: transactionId(books, "A", seq), approvalNo: newApprovalNo(ledger), card: card.card,
    giftCardKey: card.kind === "gift" ? card.key : null,
  });
  assert(entry.type === "approval" && entry.amount > 0 && entry.amount <= body.amount, "approval within the request");
  return { status: 200, body: approvalView(entry) };
}

/** 취소 / 부분취소 by tid. A repeated cancelId answers its first cancel again and cancels nothing more. */
export function cancel(books: Books, tid: string, body: CancelBody): Answer {
  const { ledger } = books;
  const earlier = ledger.cancelsById.get(body.cancelId);
  if (earlier) return { status: 200, body: cancelView(earlier) };
  const orderId = ledger.orderIdByTid.get(tid);
  const order = orderId === undefined ? undefined : ledger.orders.get(orderId);
  if (!order?.approval) return refuse(404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제입니다.");
  if (order.orderId !== body.orderId || order.approval.approvalNo !== body.approvalNo) {
    return refuse(422, "INVALID_CANCEL_REFERENCE", "주문번호 또는 승인번호가 원거래와 다릅니다.");
  }
  if (order.status !== "approved") return refuse(422, "NOT_CANCELABLE_PAYMENT", "취소할 수 없는 결제입니다.", { status: order.status });
  const before = remainingOf(order);
  if (body.amount > before) return refuse(422, "NOT_CANCELABLE_AMOUNT", "취소 가능 금액을 초과했습니다.", { balanceAmount: before });
  const seq = ledger.entries.length + 1;
  const entry = ledger.append({
    type: "cancel", at: stamp(books), orderId: order.orderId, tid, cancelId: body.cancelId, cancelTid: transactionId(books, "C", seq),
    amount: body.amount, remaining: before - body.amount, reason: body.reason,
  });
  assert(entry.type === "cancel" && remainingOf(order) === before - body.amount && remainingOf(order) >= 0, "cancel took exactly its amount");
  return { status: 200, body: cancelView(entry) };
}

export function query(books: Books, orderId: string): Answer {
  const order = books.ledger.orders.get(orderId);
  if (!order) return refuse(404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제입니다.");
  return { status: 200, body: orderView(order) };
}

/**
 * 망취소 by our order id. Voids what is left of an approval; with nothing there it leaves a tombstone,
 * so an approval still in flight for that id is refused (`DUPLICATED_ORDER_ID`). Always 200.
 */
export function netCancel(books: Books, orderId: string): Answer {
  const { ledger } = books;
  const order = ledger.orders.get(orderId);
  if (order?.status === "declined" || order?.status === "net_cancelled") return { status: 200, body: { status: order.status, orderId, voidedAmount: 0, order: orderView(order) } };
  const voidedAmount = order ? remainingOf(order) : 0;
  const seq = ledger.entries.length + 1;
  ledger.append({ type: "net_cancel", at: stamp(books), orderId, tid: order?.approval?.tid ?? null, netCancelTid: transactionId(books, "N", seq), voidedAmount });
  const after = ledger.orders.get(orderId);
  assert(after?.status === "net_cancelled" && remainingOf(after) === 0, "net cancel leaves no live charge");
  return { status: 200, body: { status: "net_cancelled", orderId, voidedAmount, order: orderView(after) } };
}

/** 현금영수증: 소득공제 by phone number (10–11 digits), 지출증빙 by business number (10 digits). */
export function issueCashReceipt(books: Books, body: CashReceiptBody): Answer {
  const { ledger } = books;
  const earlier = ledger.receipts.get(body.orderId);
  if (earlier) return refuse(409, "DUPLICATED_ORDER_ID", "이미 발급된 주문번호입니다.", { orderId: body.orderId, original: receiptView(earlier) });
  const digits = body.identity.replaceAll("-", "");
  const valid = body.purpose === "income_deduction" ? /^\d{10,11}$/.test(digits) : /^\d{10}$/.test(digits);
  if (!valid) {
    const wanted = body.purpose === "income_deduction" ? "휴대폰번호 10~11자리" : "사업자등록번호 10자리";
    return refuse(422, "INVALID_IDENTITY_NUMBER", `${wanted}를 입력해주세요.`);
  }
  const entry = ledger.append({
    type: "cash_receipt", at: stamp(books), orderId: body.orderId, approvalNo: newApprovalNo(ledger), amount: body.amount, vat: body.vat,
    purpose: body.purpose, identityMasked: `${digits.slice(0, 3)}${"*".repeat(digits.length - 7)}${digits.slice(-4)}`,
  });
  assert(entry.type === "cash_receipt", "receipt recorded");
  return { status: 200, body: receiptView(entry) };
}

/** A gift card holds its first balance minus what live approvals on it still hold. */
function giftBalance(ledger: Ledger, key: string, initial: number): number {
  let held = 0;
  for (const order of ledger.orders.values()) if (order.approval?.giftCardKey === key) held += remainingOf(order);
  return initial - held;
}

/** 8 digits, unique in this ledger. */
function newApprovalNo(ledger: Ledger): string {
  for (let attempt = 0; attempt < 100; attempt++) {
    const candidate = String(randomInt(0, 100_000_000)).padStart(8, "0");
    if (!ledger.approvalNos.has(candidate)) return candidate;
  }
  assert(false, "no free approval number in 100 draws");
}

/** `A250601210509000042`: kind, local yyMMddHHmmss, ledger sequence (unique per ledger). */
function transactionId(books: Books, kind: "A" | "C" | "N", seq: number): string {
  const t = localTimestamp(books.now(), books.timeZone);
  return `${kind}${t.slice(2, 4)}${t.slice(5, 7)}${t.slice(8, 10)}${t.slice(11, 13)}${t.slice(14, 16)}${t.slice(17, 19)}${String(seq).padStart(6, "0")}`;
}


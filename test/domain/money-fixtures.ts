/** Command builders and orders for the money tests (payments, refunds, adjustments). Real decide/evolve, no mocks. */
import {
  decide, fold,
  type ActorRef, type ApplyAdjustment, type Decision, type ProviderRecord, type RecordPaymentResult, type RecordRefundResult,
  type RemoveAdjustment, type ReopenSession, type RequestPayment, type RequestRefund, type SessionCommand, type SessionState,
} from "../../domain/index.ts";
import { accepted, at, beerLine, confirmDraft, context, eggRollLine, history, openSession, staff, stewLine } from "./fixtures.ts";

/** A second staff member who approves with a PIN (the room checks it; the domain only records who). */
export const manager: ActorRef = { id: "manager-1", role: "staff", name: "점장" };

/** Open, then b1: b1-1 = 김치찌개 ×2 with 계란 (20,000), b1-2 = 생맥주 ×1 (5,000). Total 25,000. */
export const ordered = () => history(openSession(), confirmDraft([stewLine(2, ["egg"]), beerLine(1)], { batchId: "b1" }));

/** `ordered` plus b2: b2-1 = 계란말이 ×2 (16,000). Total 41,000. */
export const twoBatches = () => history(
  openSession(),
  confirmDraft([stewLine(2, ["egg"]), beerLine(1)], { batchId: "b1" }),
  confirmDraft([eggRollLine(2)], { batchId: "b2" }),
);

export function decideIn(command: SessionCommand, state: SessionState): Decision {
  return decide(command, state, context);
}

/** Applies commands that must be accepted, one after another. */
export function run(state: SessionState, ...commands: SessionCommand[]): SessionState {
  return commands.reduce((s, command) => fold(accepted(command, s), s), state);
}

export function cash(paymentId: string, amount: number, overrides: Partial<RequestPayment> = {}): RequestPayment {
  return { type: "RequestPayment", paymentId, method: "cash", amount, actor: staff, at, ...overrides };
}

export function card(paymentId: string, amount: number, overrides: Partial<RequestPayment> = {}): RequestPayment {
  return { type: "RequestPayment", paymentId, method: "card", amount, actor: staff, at, ...overrides };
}

export function provider(overrides: Partial<ProviderRecord> = {}): ProviderRecord {
  return {
    provider: "kicc", approvalNo: "30012345", transactionId: "T-0001", approvedAt: "2026-11-26T12:00:05.000Z",
    cardIssuer: "신한", cardAcquirer: "신한", maskedCardNo: "4518-****-****-1234", installmentMonths: 0, raw: { resultCode: "0000" }, ...overrides,
  };
}

export function approve(paymentId: string, amount: number, overrides: Partial<RecordPaymentResult> = {}): RecordPaymentResult {
  return { type: "RecordPaymentResult", paymentId, result: { kind: "approved", amount, provider: provider() }, actor: staff, at, ...overrides };
}

export function decline(paymentId: string, code = "051", message = "잔액 부족"): RecordPaymentResult {
  return { type: "RecordPaymentResult", paymentId, result: { kind: "declined", code, message }, actor: staff, at };
}

export function voided(paymentId: string, reason = "망취소: 응답 없음"): RecordPaymentResult {
  return { type: "RecordPaymentResult", paymentId, result: { kind: "voided", reason }, actor: staff, at };
}

export function refund(refundId: string, paymentId: string, amount: number, overrides: Partial<RequestRefund> = {}): RequestRefund {
  return { type: "RequestRefund", refundId, paymentId, amount, reason: "맥주 취소분 환불", reasonCode: "complaint", actor: staff, at, ...overrides };
}

export function refundDone(refundId: string, cancelTransactionId: string | null = "C-0001"): RecordRefundResult {
  return { type: "RecordRefundResult", refundId, result: { kind: "completed", cancelTransactionId, raw: { resultCode: "0000" } }, actor: staff, at };
}

export function refundFailed(refundId: string, code = "E12", message = "취소 기한 초과"): RecordRefundResult {
  return { type: "RecordRefundResult", refundId, result: { kind: "failed", code, message }, actor: staff, at };
}

export function adjust(adjustmentId: string, fields: Pick<ApplyAdjustment, "kind"> & Partial<ApplyAdjustment>): ApplyAdjustment {
  return { type: "ApplyAdjustment", adjustmentId, scope: "session", targetId: null, reasonCode: "regular_customer", note: "", actor: staff, at, ...fields };
}

export function removeAdjustment(adjustmentId: string, overrides: Partial<RemoveAdjustment> = {}): RemoveAdjustment {
  return { type: "RemoveAdjustment", adjustmentId, reason: "잘못 적용", actor: staff, at, ...overrides };
}

export function reopen(overrides: Partial<ReopenSession> = {}): ReopenSession {
  return { type: "ReopenSession", reason: "영수증 정정", actor: staff, at, ...overrides };
}

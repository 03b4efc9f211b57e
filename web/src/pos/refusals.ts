import type { WireErrorCode } from "../../../protocol/codes.ts";
import type { ClientErrorCode } from "../../../clients/client-error.ts";
import { lang, won } from "../shared/i18n.ts";
import { clientRefusals, refusedWords, type Words } from "../shared/refusal-words.ts";
import { t } from "./texts.ts";


/**
 * Every refusal in words a server (the person serving tables) understands, never the raw code.
 * Keyed by every wire code, so a new code fails the typecheck until it has words here.
 */
const wire: Record<WireErrorCode, Words> = {
  BAD_REQUEST: { ko: "입력이 올바르지 않습니다. 확인하고 다시 누르세요", en: "The input is not valid; check it and try again" },
  UNKNOWN_COMMAND: { ko: "서버가 모르는 요청입니다. 화면을 새로고침하세요", en: "The server does not know this request; reload the page" },
  PAYLOAD_TOO_LARGE: { ko: "한 번에 보내기에 너무 많습니다", en: "Too much to send at once" },
  UNAUTHORIZED: { ko: "로그인이 만료되었습니다. 다시 로그인하세요", en: "Your sign-in expired; sign in again" },
  FORBIDDEN: { ko: "이 계정으로는 할 수 없습니다. 관리자에게 요청하세요", en: "This account may not do that; ask a manager" },
  NOT_FOUND: { ko: "이미 없어진 메뉴나 주문입니다. 화면을 확인하세요", en: "That item or order is gone; check the screen" },
  NO_SESSION: { ko: "손님을 받지 않은 테이블입니다. 먼저 손님 받기를 누르세요", en: "No guests are seated here; seat them first" },
  SESSION_ALREADY_OPEN: { ko: "이미 손님이 있는 테이블입니다", en: "Guests are already seated here" },
  SESSION_CLOSED: { ko: "이미 계산이 끝난 테이블입니다", en: "This table is already paid and closed" },
  SESSION_TIMED_OUT: { ko: "오래 활동이 없어 멈춘 테이블입니다. '테이블 다시 사용'을 누르세요", en: "The table timed out; tap 'Resume table' first" },
  VERSION_CONFLICT: { ko: "다른 사람이 이 테이블을 바꿨습니다. 화면은 이제 최신입니다", en: "Someone else changed this table; the screen is up to date now" },
  LOCKED: { ko: "다른 단말이 이 테이블을 작업 중입니다", en: "Another terminal is working on this table" },
  CMD_ID_REUSED: { ko: "같은 요청이 다른 내용으로 이미 처리되었습니다. 다시 누르세요", en: "This request was already used; tap again" },
  IDEMPOTENCY_EXPIRED: { ko: "너무 오래된 요청이라 보내지 않았습니다. 다시 입력하세요", en: "Too old to send; enter it again" },
  EMPTY_DRAFT: { ko: "보낼 메뉴가 없습니다", en: "Nothing to send" },
  SOLD_OUT: { ko: "품절된 메뉴가 있습니다", en: "An item is sold out" },
  INVALID_QUANTITY: { ko: "수량은 1에서 99 사이여야 합니다", en: "Quantity must be 1 to 99" },
  INVALID_OPTIONS: { ko: "옵션을 다시 골라 주세요", en: "Choose the options again" },
  LIMIT_EXCEEDED: { ko: "한 테이블에 받을 수 있는 한도를 넘었습니다", en: "Over the table's limit" },
  REASON_REQUIRED: { ko: "사유를 입력하세요", en: "Enter a reason" },
  ALREADY_CANCELLED: { ko: "이미 취소된 메뉴입니다", en: "Already cancelled" },
  INVALID_TRANSITION: { ko: "지금 상태에서는 할 수 없습니다 (이미 처리되었을 수 있습니다)", en: "Not possible now (it may be done already)" },
  ALREADY_PRINTED: { ko: "이미 인쇄되었습니다", en: "Already printed" },
  OUTSTANDING_BALANCE: { ko: "받을 금액이 남아 있습니다", en: "Money is still due" },
  PAYMENT_IN_PROGRESS: { ko: "결제 승인을 기다리는 중입니다. 잠시 후 다시 누르세요", en: "A payment awaits approval; try again shortly" },
  REFUND_DUE: { ko: "손님께 돌려드릴 금액이 있습니다. 먼저 환불하세요", en: "Money is owed back to the guest; refund first" },
  INVALID_AMOUNT: { ko: "금액이 올바르지 않습니다 (받은 현금이 결제 금액보다 적거나, 카드는 100원 이상)", en: "Invalid amount (cash tendered below the amount, or a card under 100 won)" },
  AMOUNT_EXCEEDS_DUE: { ko: "남은 금액보다 많이 결제할 수 없습니다", en: "More than the balance" },
  REFUND_EXCEEDS_PAYMENT: { ko: "결제한 금액보다 많이 환불할 수 없습니다", en: "More than was paid" },
  UNKNOWN_REASON: { ko: "등록되지 않은 사유입니다", en: "Unknown reason" },
  APPROVAL_REQUIRED: { ko: "관리자 승인이 필요합니다", en: "Needs a manager's approval" },
  PAYMENT_DECLINED: { ko: "카드가 거절되었습니다. 다른 카드나 현금으로 받으세요", en: "The card was declined; take another card or cash" },
  PROVIDER_UNAVAILABLE: { ko: "카드사가 응답하지 않습니다. 결과는 곧 확인됩니다 (다시 결제하지 마세요)", en: "The card company does not answer; the result will be settled (do not charge again)" },
  PRICE_MISMATCH: { ko: "금액이 맞지 않습니다", en: "The amount does not match" },
  RATE_LIMITED: { ko: "요청이 너무 많습니다. 잠시 후 다시 누르세요", en: "Too many requests; wait a moment" },
  BUSY: { ko: "서버가 바쁩니다. 잠시 후 다시 누르세요", en: "The server is busy; tap again in a moment" },
  INTERNAL: { ko: "서버 오류로 처리하지 못했습니다. 다시 누르세요", en: "A server fault stopped it; tap again" },
};



/** 24-hour hh:mm, the same in every language (a lock "until 19:05"). */
export function clockTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return "";
  return `${String(at.getHours()).padStart(2, "0")}:${String(at.getMinutes()).padStart(2, "0")}`;
}

export interface Refusal {
  readonly code: string;
  readonly details?: unknown;
}

/** Words for a refusal, using its details where they say more (who holds the lock, whose order). */
export function refusalText(refusal: Refusal | string | undefined): string {
  const { code, details } = typeof refusal === "string" || refusal === undefined ? { code: refusal, details: undefined } : refusal;
  const d = (details ?? {}) as Record<string, unknown>;
  if (code === "LOCKED" && typeof d.holderName === "string") {
    return t("lockedMessage", { name: d.holderName, time: clockTime(String(d.expiresAt ?? "")) });
  }
  if (code === "FORBIDDEN" && d.rule === "remote_order_locked") return t("remoteLocked");
  if (code === "FORBIDDEN" && d.rule === "not_lock_holder" && typeof d.holderName === "string") {
    return t("lockedMessage", { name: d.holderName, time: clockTime(String(d.expiresAt ?? "")) });
  }
  if (code === "FORBIDDEN" && d.rule === "cancel_needs_admin") return t("startedLocked");
  if (code === "APPROVAL_REQUIRED" && typeof d.amount === "number" && typeof d.threshold === "number") {
    return t("approvalNeeded", { amount: won(d.amount), threshold: won(d.threshold) });
  }
  if (code === "INVALID_AMOUNT" && d.rule === "below_zero") return t("belowZero");
  const words = (code && (wire[code as WireErrorCode] ?? clientRefusals[code as ClientErrorCode])) || refusedWords;
  return words[lang.value];
}

/** For the tests: every code has Korean and English words. */
export const refusalCodes: readonly string[] = [...Object.keys(wire), ...Object.keys(clientRefusals)];

import type { WireErrorCode } from "../../../protocol/codes.ts";
import type { ClientErrorCode } from "../../../clients/client-error.ts";
import { lang } from "../shared/i18n.ts";
import { clientRefusals, refusedWords, type Words } from "../shared/refusal-words.ts";


/**
 * Every refusal in words a cook understands (never the raw code). Keyed by every wire code, so a
 * new code fails the typecheck until it has words here.
 */
const wire: Record<WireErrorCode, Words> = {
  BAD_REQUEST: { ko: "요청 형식이 잘못되었습니다. 화면을 새로고침하세요", en: "The request was malformed; reload the screen" },
  UNKNOWN_COMMAND: { ko: "서버가 모르는 요청입니다. 화면을 새로고침하세요", en: "The server does not know this request; reload the screen" },
  PAYLOAD_TOO_LARGE: { ko: "요청이 너무 큽니다", en: "The request is too large" },
  UNAUTHORIZED: { ko: "로그인이 만료되었습니다. 다시 로그인하세요", en: "Your sign-in expired; sign in again" },
  FORBIDDEN: { ko: "이 계정으로는 할 수 없는 작업입니다", en: "This account may not do that" },
  NOT_FOUND: { ko: "이 화면에 없는 주문이나 메뉴입니다 (이미 정리되었을 수 있습니다)", en: "That ticket or item is not on this screen (it may be gone already)" },
  NO_SESSION: { ko: "열린 테이블이 없습니다", en: "The table has no open session" },
  SESSION_ALREADY_OPEN: { ko: "테이블이 이미 열려 있습니다", en: "The table is already open" },
  SESSION_CLOSED: { ko: "이미 계산이 끝난 테이블입니다", en: "That table is already closed" },
  SESSION_TIMED_OUT: { ko: "테이블이 오래 비어 있어 멈췄습니다. 홀에서 다시 열어야 합니다", en: "The table timed out; the floor must resume it" },
  VERSION_CONFLICT: { ko: "다른 단말이 먼저 바꿨습니다. 화면을 보고 다시 누르세요", en: "Another terminal changed it first; check and tap again" },
  LOCKED: { ko: "다른 단말이 이 테이블을 수정 중입니다", en: "Another terminal is editing this table" },
  CMD_ID_REUSED: { ko: "같은 요청이 다른 내용으로 이미 처리되었습니다", en: "This request was already used for something else" },
  IDEMPOTENCY_EXPIRED: { ko: "너무 오래된 요청이라 처리하지 않았습니다", en: "The request was too old to run" },
  EMPTY_DRAFT: { ko: "보낼 메뉴가 없습니다", en: "Nothing to send" },
  SOLD_OUT: { ko: "품절된 메뉴입니다", en: "Sold out" },
  INVALID_QUANTITY: { ko: "수량이 올바르지 않습니다", en: "Invalid quantity" },
  INVALID_OPTIONS: { ko: "옵션이 올바르지 않습니다", en: "Invalid options" },
  LIMIT_EXCEEDED: { ko: "한도를 넘었습니다", en: "Over the limit" },
  REASON_REQUIRED: { ko: "사유를 입력하세요", en: "A reason is required" },
  ALREADY_CANCELLED: { ko: "취소된 메뉴라 처리할 수 없습니다", en: "That item is cancelled" },
  INVALID_TRANSITION: { ko: "지금 상태에서는 할 수 없습니다 (이미 처리되었거나, 범프된 주문은 먼저 리콜하세요)", en: "Not possible in this state (already done, or recall a bumped ticket first)" },
  ALREADY_PRINTED: { ko: "이미 인쇄되었습니다", en: "Already printed" },
  OUTSTANDING_BALANCE: { ko: "받을 금액이 남아 있습니다", en: "Money is still due" },
  PAYMENT_IN_PROGRESS: { ko: "결제가 진행 중입니다", en: "A payment is in progress" },
  REFUND_DUE: { ko: "환불할 금액이 있습니다", en: "A refund is due" },
  INVALID_AMOUNT: { ko: "금액이 올바르지 않습니다", en: "Invalid amount" },
  AMOUNT_EXCEEDS_DUE: { ko: "받을 금액보다 많습니다", en: "More than is due" },
  REFUND_EXCEEDS_PAYMENT: { ko: "결제 금액보다 많이 환불할 수 없습니다", en: "More than the payment" },
  UNKNOWN_REASON: { ko: "등록되지 않은 사유입니다", en: "Unknown reason" },
  APPROVAL_REQUIRED: { ko: "관리자 승인이 필요합니다", en: "Needs a manager's approval" },
  PAYMENT_DECLINED: { ko: "결제가 거절되었습니다", en: "The payment was declined" },
  PROVIDER_UNAVAILABLE: { ko: "결제사가 응답하지 않습니다", en: "The payment provider does not answer" },
  PRICE_MISMATCH: { ko: "금액이 맞지 않습니다", en: "The amount does not match" },
  RATE_LIMITED: { ko: "요청이 너무 많습니다. 잠시 후 다시 누르세요", en: "Too many requests; wait a moment" },
  BUSY: { ko: "서버가 바쁩니다. 잠시 후 다시 누르세요", en: "The server is busy; tap again in a moment" },
  INTERNAL: { ko: "서버 오류로 처리하지 못했습니다. 다시 누르세요", en: "A server fault stopped it; tap again" },
};



/** Words for a wire code or a client-library code, in the current language. */
export function refusalText(code: string | undefined): string {
  const words = (code && (wire[code as WireErrorCode] ?? clientRefusals[code as ClientErrorCode])) || refusedWords;
  return words[lang.value];
}

/** For the tests: every code has Korean and English words. */
export const refusalCodes: readonly string[] = [...Object.keys(wire), ...Object.keys(clientRefusals)];

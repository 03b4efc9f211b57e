import { ClientError } from "../../../clients/client-error.ts";
import { translator } from "../shared/i18n.ts";

/** A command refusal in words a guest understands (docs/PROTOCOL.md §5.0, §11); never the raw code. */
const words = translator({
  SOLD_OUT: { ko: "품절된 메뉴가 있습니다. 장바구니를 확인해 주세요", en: "Something is sold out: please check your cart" },
  SOLD_OUT_REMAINING: { ko: "남은 수량이 부족합니다 ({n}개 남음)", en: "Not enough left ({n} remaining)" },
  RATE_LIMITED: { ko: "너무 자주 눌렀습니다. {s}초 후에 다시 시도해 주세요", en: "Too many tries: please wait {s} s and try again" },
  PRICE_MISMATCH: { ko: "가격이 바뀌었습니다. 결제되지 않았으니 합계를 확인하고 다시 결제해 주세요", en: "The price changed. Nothing was charged: check the total and pay again" },
  PAYMENT_DECLINED: { ko: "카드 결제가 거절되었습니다. 장바구니는 그대로 있습니다", en: "The card was declined. Your cart is unchanged" },
  PROVIDER_UNAVAILABLE: { ko: "카드사 응답이 없습니다. 잠시 후 다시 눌러 주세요 (두 번 결제되지 않습니다)", en: "No answer from the card company. Try again shortly (you will not be charged twice)" },
  PAYMENT_IN_PROGRESS: { ko: "이미 결제가 진행 중입니다", en: "A payment is already in progress" },
  EMPTY_DRAFT: { ko: "장바구니가 비어 있습니다", en: "Your cart is empty" },
  LIMIT_EXCEEDED: { ko: "장바구니에 더 담을 수 없습니다", en: "Your cart is full" },
  INVALID_OPTIONS: { ko: "옵션을 다시 골라 주세요", en: "Please choose the options again" },
  INVALID_QUANTITY: { ko: "수량은 1~99개입니다", en: "Quantity must be 1 to 99" },
  NOT_FOUND: { ko: "메뉴나 항목을 찾을 수 없습니다. 화면을 새로 고쳐 주세요", en: "That item is gone: please reload the page" },
  PREPAY_REQUIRED: { ko: "이 매장은 결제 후 주문됩니다. '결제하고 주문'을 눌러 주세요", en: "This restaurant takes payment first: use 'Pay and order'" },
  PREPAY_OFF: { ko: "이 매장은 식사 후 결제합니다. '주문하기'를 눌러 주세요", en: "This restaurant takes payment after the meal: use 'Order'" },
  FORBIDDEN: { ko: "이 휴대폰에서는 할 수 없는 일입니다", en: "This cannot be done from your phone" },
  SESSION_CLOSED: { ko: "이 테이블의 주문이 끝났습니다", en: "This table's order is finished" },
  SESSION_TIMED_OUT: { ko: "오래 주문이 없어 테이블이 잠시 멈췄습니다. 직원을 불러 주세요", en: "The table was idle for long: please call the staff" },
  NO_SESSION: { ko: "테이블이 아직 열리지 않았습니다. 직원에게 문의해 주세요", en: "The table is not open: please ask the staff" },
  UNAUTHORIZED: { ko: "주문 시간이 끝났습니다. QR 코드를 다시 찍어 주세요", en: "Your visit has ended: please scan the QR code again" },
  BUSY: { ko: "주문이 몰리고 있습니다. 잠시 후 다시 시도해 주세요", en: "It is busy: please try again in a moment" },
  refunded: { ko: "결제는 전액 취소되었습니다.", en: "The charge was cancelled in full." },
  unknownOutcome: { ko: "연결이 끊겨 결과를 확인하지 못했습니다. 주문 내역을 확인해 주세요", en: "The connection dropped before the answer: please check your bill" },
  other: { ko: "처리하지 못했습니다. 다시 시도하거나 직원을 불러 주세요", en: "That did not work: try again or call the staff" },
});

export interface Refusal {
  readonly code: string;
  readonly details?: unknown;
}

export function refusalText(refusal: Refusal): string {
  const details = (refusal.details ?? {}) as { rule?: string; remaining?: number; retryAfterMs?: number; refunded?: boolean };
  const main = mainText(refusal.code, details);
  return details.refunded ? `${main} ${words("refunded")}` : main;
}

function mainText(code: string, details: { rule?: string; remaining?: number; retryAfterMs?: number }): string {
  switch (code) {
    case "SOLD_OUT":
      return typeof details.remaining === "number" && details.remaining > 0 ? words("SOLD_OUT_REMAINING", { n: details.remaining }) : words("SOLD_OUT");
    case "RATE_LIMITED":
      return words("RATE_LIMITED", { s: Math.max(1, Math.ceil((details.retryAfterMs ?? 30_000) / 1000)) });
    case "FORBIDDEN":
      if (details.rule === "qr_prepay_required") return words("PREPAY_REQUIRED");
      if (details.rule === "qr_prepay_off") return words("PREPAY_OFF");
      return words("FORBIDDEN");
    case "PRICE_MISMATCH": case "PAYMENT_DECLINED": case "PROVIDER_UNAVAILABLE": case "PAYMENT_IN_PROGRESS":
    case "EMPTY_DRAFT": case "LIMIT_EXCEEDED": case "INVALID_OPTIONS": case "INVALID_QUANTITY": case "NOT_FOUND":
    case "SESSION_CLOSED": case "SESSION_TIMED_OUT": case "NO_SESSION": case "UNAUTHORIZED": case "BUSY":
      return words(code);
    default:
      return words("other");
  }
}

/** A command that got no reply (the link dropped, the client gave up): its outcome is unknown. */
export function failureText(failure: unknown): string {
  return failure instanceof ClientError ? words("unknownOutcome") : words("other");
}

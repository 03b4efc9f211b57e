import type { DomainError } from "../domain/index.ts";

/** Stable wire error codes (docs/PROTOCOL.md §11; test/wire/protocol-docs.test.ts keeps the two equal). Clients switch on these, never on messages. */
export const wireErrorCodes = [
  "BAD_REQUEST",
  "UNKNOWN_COMMAND",
  "PAYLOAD_TOO_LARGE",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "NO_SESSION",
  "SESSION_ALREADY_OPEN",
  "SESSION_CLOSED",
  "SESSION_TIMED_OUT",
  "VERSION_CONFLICT",
  "LOCKED",
  "CMD_ID_REUSED",
  "IDEMPOTENCY_EXPIRED",
  "EMPTY_DRAFT",
  "SOLD_OUT",
  "INVALID_QUANTITY",
  "INVALID_OPTIONS",
  "LIMIT_EXCEEDED",
  "REASON_REQUIRED",
  "ALREADY_CANCELLED",
  "INVALID_TRANSITION",
  "ALREADY_PRINTED",
  "OUTSTANDING_BALANCE",
  "PAYMENT_IN_PROGRESS",
  "REFUND_DUE",
  "INVALID_AMOUNT",
  "AMOUNT_EXCEEDS_DUE",
  "REFUND_EXCEEDS_PAYMENT",
  "UNKNOWN_REASON",
  "APPROVAL_REQUIRED",
  "PAYMENT_DECLINED",
  "PROVIDER_UNAVAILABLE",
  "PRICE_MISMATCH",
  "RATE_LIMITED",
  "BUSY",
  "INTERNAL",
] as const;
export type WireErrorCode = (typeof wireErrorCodes)[number];

export interface WireError {
  readonly code: WireErrorCode;
  readonly message: string;
  /** The broken rule and its data (e.g. `{ rule: "sold_out", menuId }`), for the terminal to show. */
  readonly details?: unknown;
}

const domainToWire: Record<DomainError["code"], WireErrorCode> = {
  no_open_session: "NO_SESSION",
  session_already_open: "SESSION_ALREADY_OPEN",
  session_closed: "SESSION_CLOSED",
  version_conflict: "VERSION_CONFLICT",
  empty_draft: "EMPTY_DRAFT",
  too_many_lines: "LIMIT_EXCEEDED",
  amount_too_large: "LIMIT_EXCEEDED",
  unknown_menu_item: "NOT_FOUND",
  sold_out: "SOLD_OUT",
  invalid_quantity: "INVALID_QUANTITY",
  invalid_options: "INVALID_OPTIONS",
  note_too_long: "LIMIT_EXCEEDED",
  invalid_guests: "BAD_REQUEST",
  reason_required: "REASON_REQUIRED",
  unknown_item: "NOT_FOUND",
  item_already_cancelled: "ALREADY_CANCELLED",
  cancel_needs_admin: "FORBIDDEN",
  id_already_used: "BAD_REQUEST",
  unknown_batch: "NOT_FOUND",
  unknown_ticket: "NOT_FOUND",
  invalid_transition: "INVALID_TRANSITION",
  ticket_not_bumped: "INVALID_TRANSITION",
  nothing_to_cancel: "ALREADY_CANCELLED",
  balance_outstanding: "OUTSTANDING_BALANCE",
  payment_in_progress: "PAYMENT_IN_PROGRESS",
  refund_due: "REFUND_DUE",
  invalid_amount: "INVALID_AMOUNT",
  below_zero: "INVALID_AMOUNT",
  amount_exceeds_due: "AMOUNT_EXCEEDS_DUE",
  refund_exceeds_payment: "REFUND_EXCEEDS_PAYMENT",
  unknown_reason_code: "UNKNOWN_REASON",
  approval_required: "APPROVAL_REQUIRED",
  unknown_adjustment: "NOT_FOUND",
  unknown_payment: "NOT_FOUND",
  unknown_refund: "NOT_FOUND",
  invalid_target: "NOT_FOUND",
  payment_not_pending: "INVALID_TRANSITION",
  refund_not_pending: "INVALID_TRANSITION",
  payment_not_refundable: "INVALID_TRANSITION",
  session_not_closed: "INVALID_TRANSITION",
  admin_only: "FORBIDDEN",
  remote_order_locked: "FORBIDDEN",
  prepaid_mismatch: "PRICE_MISMATCH",
  session_timed_out: "SESSION_TIMED_OUT",
  session_not_idle: "INVALID_TRANSITION",
  role_not_allowed: "FORBIDDEN",
};

export function fromDomainError(error: DomainError): WireError {
  const { code, ...data } = error;
  return { code: domainToWire[code], message: code.replaceAll("_", " "), details: { rule: code, ...data } };
}

export function wireError(code: WireErrorCode, message: string, details?: unknown): WireError {
  return details === undefined ? { code, message } : { code, message, details };
}

/**
 * Codes that only HTTP routes and room joins give (never a command reply); docs/PROTOCOL.md §11
 * lists them beside the command codes.
 */
export const httpAndJoinErrorCodes = [
  "TABLE_FULL",
  "NOT_READY",
  "SESSION_OVER",
  "UNSUPPORTED_MEDIA_TYPE",
  "DAY_ALREADY_CLOSED",
  "DAY_NOT_STARTED",
  "DAY_NOT_CLOSED",
] as const;
export type HttpAndJoinErrorCode = (typeof httpAndJoinErrorCodes)[number];

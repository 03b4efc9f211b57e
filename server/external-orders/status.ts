import type { WireErrorCode } from "../../protocol/codes.ts";

export type ExternalOrderCode = WireErrorCode | "RATE_LIMITED";

/**
 * HTTP status of every code POST /api/orders/external answers with (docs/PROTOCOL.md), in one
 * place. 503 means nothing was decided: retry with the same orderId.
 */
const statusOfCode: Partial<Record<ExternalOrderCode, number>> = {
  BAD_REQUEST: 400,
  EMPTY_DRAFT: 400,
  INVALID_QUANTITY: 400,
  INVALID_OPTIONS: 400,
  LIMIT_EXCEEDED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  NO_SESSION: 409,
  CMD_ID_REUSED: 409,
  SOLD_OUT: 409,
  PRICE_MISMATCH: 422,
  INVALID_AMOUNT: 422,
  RATE_LIMITED: 429,
  VERSION_CONFLICT: 503,
  BUSY: 503,
  INTERNAL: 503,
};

/** A refusal the table above does not list is a conflict with the table's state. */
export function httpStatusOf(code: string): number {
  return statusOfCode[code as ExternalOrderCode] ?? 409;
}

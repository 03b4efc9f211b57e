/**
 * R-EVT-3 / R-PAY-3: one interface for every payment provider (cash drawer, VAN/PG card, easy pay).
 * Amounts are integer KRW. `orderId` is OUR key for one approval attempt (the payment id), unique
 * forever: Korean VANs/PGs look a request up by it and net-cancel (망취소) by it when our side never
 * learned the answer. Every call returns a typed result; none throws for a business or network outcome.
 */
export type PaymentMethod = "cash" | "card" | "easy_pay" | "points";

export interface ApproveRequest {
  readonly orderId: string;
  readonly storeId: string;
  readonly method: PaymentMethod;
  readonly amount: number;
  /** 0 = 일시불 (lump sum). */
  readonly installmentMonths: number;
  /** VAT included in `amount` (our receipt rule: round(amount / 11)). */
  readonly vat: number;
  /** Test/demo card token (a simulator card number); a real VAN would read the card itself. */
  readonly cardToken?: string | undefined;
}

/** What the provider said about one approval, raw keys kept as it sent them (R-PAY-3). */
export interface Approval {
  readonly orderId: string;
  /** Approved amount; below the requested amount on a partial approval (e.g. a gift card). */
  readonly amount: number;
  readonly partial: boolean;
  readonly provider: string;
  /** 승인번호 (8 digits at Korean VANs). */
  readonly approvalNo: string;
  /** Provider's transaction id (tid / 거래고유번호). */
  readonly transactionId: string;
  readonly approvedAt: string;
  readonly cardIssuer?: string | undefined;
  readonly cardAcquirer?: string | undefined;
  /** Masked as the provider sends it, e.g. `541707******1234`. */
  readonly maskedCardNo?: string | undefined;
  readonly installmentMonths?: number | undefined;
  /** The provider's whole answer, stored as received. */
  readonly raw: Readonly<Record<string, unknown>>;
}

export type ApproveResult =
  | { readonly kind: "approved"; readonly approval: Approval }
  | { readonly kind: "declined"; readonly code: string; readonly message: string }
  /** No usable answer (timeout, connection lost, unreadable reply): the charge may or may not exist. */
  | { readonly kind: "unknown"; readonly reason: string };

export interface CancelRequest {
  readonly orderId: string;
  /** Our key for this cancel (refund id), unique forever; a repeat must not cancel twice. */
  readonly cancelId: string;
  readonly transactionId: string;
  readonly approvalNo: string;
  /** Amount to give back; less than what remains = partial cancel (부분취소). */
  readonly amount: number;
  readonly reason: string;
}

/**
 * The code of a refusal that is not the provider's: the connection was refused or the host is
 * unknown, so nothing was sent and nothing happened there (safe to try again with the same ids).
 */
export const providerUnreachable = "PROVIDER_UNREACHABLE";

export type CancelResult =
  | { readonly kind: "cancelled"; readonly cancelTransactionId: string; readonly amount: number; readonly remaining: number; readonly raw: Readonly<Record<string, unknown>> }
  | { readonly kind: "refused"; readonly code: string; readonly message: string }
  | { readonly kind: "unknown"; readonly reason: string };

/** What the provider's own ledger holds for one of our order ids. */
export type QueryResult =
  | { readonly kind: "approved"; readonly approval: Approval; readonly cancelledAmount: number; readonly cancelIds: readonly string[] }
  | { readonly kind: "declined"; readonly code: string }
  /** Never reached the provider, or net-cancelled: no charge exists. */
  | { readonly kind: "not_found" }
  | { readonly kind: "net_cancelled" }
  | { readonly kind: "unknown"; readonly reason: string };

export type NetCancelResult = { readonly kind: "done" } | { readonly kind: "unknown"; readonly reason: string };

export interface SettlementLine {
  readonly orderId: string;
  readonly kind: "approval" | "cancel";
  readonly amount: number;
  readonly approvalNo: string;
  readonly transactionId: string;
  readonly at: string;
}

export type SettlementResult =
  | { readonly kind: "ok"; readonly date: string; readonly lines: readonly SettlementLine[] }
  | { readonly kind: "unknown"; readonly reason: string };

export interface PaymentProvider {
  readonly name: string;
  /** Whether the provider is called at all (cash is recorded at once; cards go out). */
  readonly external: boolean;
  approve(request: ApproveRequest): Promise<ApproveResult>;
  cancel(request: CancelRequest): Promise<CancelResult>;
  query(orderId: string): Promise<QueryResult>;
  /** 망취소: cancel by our order id when an approval's answer never came. */
  netCancel(orderId: string): Promise<NetCancelResult>;
  /** The provider's ledger for one business date (YYYY-MM-DD, store time zone). */
  settlement(date: string): Promise<SettlementResult>;
}

/** 현금영수증: 소득공제 by phone number (10-11 digits) or 지출증빙 by business number (10 digits). */
export interface CashReceiptRequest {
  readonly orderId: string;
  readonly amount: number;
  readonly vat: number;
  readonly purpose: "income_deduction" | "expense_proof";
  readonly identity: string;
}

export type CashReceiptResult =
  | { readonly kind: "issued"; readonly approvalNo: string; readonly issuedAt: string; readonly raw: Readonly<Record<string, unknown>> }
  | { readonly kind: "refused"; readonly code: string; readonly message: string }
  | { readonly kind: "unknown"; readonly reason: string };

export interface CashReceiptIssuer {
  issueCashReceipt(request: CashReceiptRequest): Promise<CashReceiptResult>;
}

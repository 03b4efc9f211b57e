import type { ActorRef, LockPolicy, Menu, MoneyPolicy, PaymentMethod } from "../domain/index.ts";
import type { CashReceiptIssuer, PaymentProvider } from "../payments/provider.ts";
import type { CartPaymentStore, DocumentReader, PaymentReader, PrintStore, SessionReader, Storage, Writer } from "../storage/index.ts";
import type { PrintNotice, PrinterHealth, ResolvedPrinter } from "../server/printing/types.ts";
import type { StockBook } from "./stock.ts";
import type { SessionRegistry } from "./table/session-registry.ts";
import type { KitchenStatus } from "./kitchen/kitchen-status.ts";
import type { KitchenBoard } from "./kitchen/board.ts";
import type { Logger } from "../server/logger.ts";
import type { Clock } from "../server/clock.ts";
import type { CommandObserver } from "../server/metrics.ts";
import type { StaffCallDesk } from "./staff-calls.ts";
import type { TableSignals } from "./table-signals.ts";

/** `system`: the server acting on its own (payment reconciliation); no token ever carries it. */
export type Role = "staff" | "admin" | "kitchen" | "customer" | "system";

/** Who sent a command: what every audit row names. */
export interface Principal {
  readonly staffId: string;
  readonly storeId: string;
  readonly role: Role;
  readonly name: string;
  /** A customer (QR) token is bound to one table and the session that was live when it was made. */
  readonly tableId?: string | undefined;
  readonly sessionId?: string | undefined;
}

export type VerifyResult = { ok: true; principal: Principal } | { ok: false; code: "UNAUTHORIZED"; message: string };

export interface TableInfo {
  readonly id: string;
  readonly name: string;
}

/** What a room needs to know about a store: its tables and current menu. */
export interface StoreView {
  readonly id: string;
  readonly name: string;
  readonly stationIds: readonly string[];
  readonly tables: ReadonlyMap<string, TableInfo>;
  readonly menu: Menu;
  readonly money: MoneyPolicy;
  /** Printed on receipts: 상호, 사업자등록번호, 대표자, 주소, 전화. */
  readonly business: { readonly name: string; readonly businessNo: string; readonly owner: string; readonly address: string; readonly phone: string };
  /** Labels of the store's adjustment reason codes (receipts, reports). */
  readonly reasonLabels: ReadonlyMap<string, string>;
  /** Station whose printer prints receipts. */
  readonly receiptStationId: string;
  /** R-TLL-2: staff may change or cancel QR/app items (an admin always may). */
  readonly staffMayEditRemoteOrders: boolean;
  /** A QR scan at a free table opens a session (else NO_SESSION until staff seat it). */
  readonly qrOpensSession: boolean;
  /** When a QR guest pays: "before" = only a paid cart is sent (cart.pay), "after" = never prepaid, or "either". */
  readonly qrPayment: "after" | "before" | "either";
  /** R-CON-1: the table edit lock's TTLs (config `locks`). */
  readonly editLock: LockPolicy;
}

/** Everything rooms use, handed in by the server so rooms never reach for globals. */
export interface RoomContext {
  readonly stores: ReadonlyMap<string, StoreView>;
  readonly storage: Storage;
  readonly writer: Writer;
  readonly reader: SessionReader;
  readonly stock: StockBook;
  readonly sessions: SessionRegistry;
  readonly board: KitchenBoard;
  readonly kitchenStatus: KitchenStatus;
  readonly kitchen: { readonly urgentAfterMinutes: number; readonly lateServeAfterMinutes: number };
  readonly prints: PrintStore;
  readonly printing: PrintDesk;
  readonly clock: Clock;
  readonly log: Logger;
  /** Command counts and latency (server/metrics.ts); absent where nothing observes. */
  readonly metrics?: CommandObserver;
  readonly payments: PaymentDesk;
  readonly staffCalls: StaffCallDesk;
  /** Table rooms' news for the floor view (their edit locks). */
  readonly tableSignals: TableSignals;
  readonly documents: DocumentReader;
  readonly paymentRecords: PaymentReader;
  /** Prepaid QR carts: the intent written before the card company is called (migration 0010). */
  readonly cartPayments: CartPaymentStore;
  newId(): string;
  verifyToken(token: unknown): Promise<VerifyResult>;
  /** A second person's PIN for an approval (adjustments above the threshold); attempts are limited like logins. */
  verifyApprover(storeId: string, staffId: string, pin: string): Promise<ApproverCheck>;
}

export type ApproverCheck = { ok: true; approver: ActorRef } | { ok: false; code: "UNAUTHORIZED" | "LOCKED" | "BUSY" };

/** Payment providers per store and method (payments/), and which payments this process is settling now. */
export interface PaymentDesk {
  providerFor(storeId: string, method: PaymentMethod): PaymentProvider;
  cashReceipts(storeId: string): CashReceiptIssuer | undefined;
  /** Payment and refund ids whose provider call is under way here: reconciliation leaves them alone. */
  readonly inFlight: Set<string>;
}

/** What rooms need of kitchen printing: notices, printer health, and where a reprint goes. */
export interface PrintDesk {
  onNotice(listener: (notice: PrintNotice) => void): () => void;
  health(storeId: string): PrinterHealth[];
  routeFor(storeId: string, stationId: string): ResolvedPrinter | undefined;
  wake(printerId: string): void;
  checkHealth(): Promise<void>;
}

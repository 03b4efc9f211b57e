import type { Menu } from "../domain/index.ts";
import type { PrintStore, SessionReader, Storage, Writer } from "../storage/index.ts";
import type { PrintNotice, PrinterHealth, ResolvedPrinter } from "../server/printing/types.ts";
import type { StockBook } from "./stock.ts";
import type { SessionRegistry } from "./table/session-registry.ts";
import type { KitchenStatus } from "./kitchen/kitchen-status.ts";
import type { KitchenBoard } from "./kitchen/board.ts";
import type { Logger } from "../server/logger.ts";
import type { Clock } from "../server/clock.ts";
import type { CommandObserver } from "../server/metrics.ts";

export type Role = "staff" | "admin" | "kitchen" | "customer";

/** Who sent a command: what every audit row names. */
export interface Principal {
  readonly staffId: string;
  readonly storeId: string;
  readonly role: Role;
  readonly name: string;
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
  newId(): string;
  verifyToken(token: unknown): Promise<VerifyResult>;
}

/** What rooms need of kitchen printing: notices, printer health, and where a reprint goes. */
export interface PrintDesk {
  onNotice(listener: (notice: PrintNotice) => void): () => void;
  health(storeId: string): PrinterHealth[];
  routeFor(storeId: string, stationId: string): ResolvedPrinter | undefined;
  wake(printerId: string): void;
  checkHealth(): Promise<void>;
}

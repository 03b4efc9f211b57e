import { Room, type AuthContext, type Client } from "@colyseus/core";
import type { Principal, RoomContext, StoreView } from "../context.ts";
import { authenticateJoin, guardJoins, joinError } from "../join-auth.ts";
import { roomLimits } from "../../protocol/limits.ts";
import { messageTypes } from "../../protocol/rooms.ts";
import type { FloorReader } from "../../storage/index.ts";
import { FloorState, FloorTableState } from "./floor-state.ts";
import { applySession } from "./floor-summary.ts";
import { isLive } from "../../domain/index.ts";

export const floorLimits = { clientsMax: 32, refreshEveryMs: 2_000 } as const;
const floorRoles = ["staff", "admin"] as const;

/**
 * A store's floor (R-UI-1, the POS's first screen): every table with its status, guests, time,
 * balance, lock holder, print failures and staff calls. Read only: terminals act on a table in
 * its own room. Figures come from each table's session actor the moment it commits; a change
 * committed by another process is caught by a version check against storage every 2 s.
 */
export class FloorRoom extends Room<{ state: FloorState; client: Client<{ auth: Principal }> }> {
  declare ctx: RoomContext;
  declare floorReader: FloorReader;
  override state = new FloorState();
  override maxClients = floorLimits.clientsMax;
  override maxMessagesPerSecond = roomLimits.messagesPerSecondMax;
  override patchRate: number | null = null;
  #store!: StoreView;
  #unsubscribe: (() => void)[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** Failed slips per table (by slip key), until a copy prints. */
  readonly #failedSlips = new Map<string, Set<string>>();

  static withContext(ctx: RoomContext, floorReader: FloorReader): typeof FloorRoom {
    return class BoundFloorRoom extends FloorRoom {
      override ctx = ctx;
      override floorReader = floorReader;
      static override async onAuth(token: string, options: unknown, _context: AuthContext) {
        await authenticateJoin(ctx, token, options, floorRoles);
        return true; // guardJoins decides against this room's own store
      }
    };
  }

  override onCreate(options: { storeId: string }): void {
    const store = this.ctx.stores.get(options.storeId);
    if (!store) throw joinError(404, "NOT_FOUND", `unknown store ${options.storeId}`);
    this.#store = store;
    this.state.storeId = store.id;
    this.state.storeName = store.name;
    guardJoins(this, this.ctx, floorRoles, () => ({ storeId: store.id }));
    for (const table of store.tables.values()) {
      const view = new FloorTableState({ tableId: table.id, name: table.name });
      this.state.tables.set(table.id, view);
      const session = this.ctx.sessions.get(store.id, table.id);
      if (!session) continue;
      applySession(view, session.state);
      this.#unsubscribe.push(session.onChange((state) => {
        applySession(view, state);
        this.broadcastPatch();
      }));
    }
    for (const call of this.ctx.staffCalls.latestOf(store.id)) {
      const view = this.state.tables.get(call.tableId);
      if (view && view.sessionId === call.sessionId) view.staffCalledAt = call.at;
    }
    for (const signal of this.ctx.tableSignals.locksOf(store.id)) this.#showLock(signal.tableId, signal.lock);
    this.#unsubscribe.push(this.ctx.tableSignals.onLock((signal) => {
      if (signal.storeId !== store.id) return;
      this.#showLock(signal.tableId, signal.lock);
      this.broadcastPatch();
    }));
    this.#unsubscribe.push(this.ctx.printing.onNotice((notice) => {
      if (notice.storeId !== store.id || !notice.tableId || !notice.slipKey) return;
      const failed = this.#failedSlips.get(notice.tableId) ?? new Set<string>();
      // A reprint or retry that printed clears the original's failure too (its key is a prefix).
      if (notice.kind === "print_failed") failed.add(notice.slipKey);
      else if (notice.kind === "printed") for (const key of [...failed]) if (notice.slipKey.startsWith(key)) failed.delete(key);
      this.#failedSlips.set(notice.tableId, failed);
      const view = this.state.tables.get(notice.tableId);
      if (view) view.printFailures = failed.size;
      this.broadcastPatch();
      if (notice.kind === "print_failed") this.broadcast("notice", notice);
    }));
    this.#unsubscribe.push(this.ctx.staffCalls.on((call) => {
      if (call.storeId !== store.id) return;
      const view = this.state.tables.get(call.tableId);
      if (view) view.staffCalledAt = call.at;
      this.broadcastPatch();
      this.broadcast("staffCall", call);
    }));
    // Read only: the client library's heartbeat is the one request it answers.
    this.onMessage(messageTypes.ping, () => ({ pong: true }));
    // A Node timer: broadcastPatch ticks the room clock, which would re-enter a room-clock timer.
    this.#timer = setInterval(() => this.#catchUp(), floorLimits.refreshEveryMs);
    this.#timer.unref();
  }

  #showLock(tableId: string, lock: { holderName: string; expiresAt: string } | null): void {
    const view = this.state.tables.get(tableId);
    if (!view) return;
    view.lockHolderName = lock?.holderName ?? "";
    view.lockExpiresAt = lock?.expiresAt ?? "";
  }

  /** Sessions another process moved: reload those tables from storage. */
  #catchUp(): void {
    const live = new Map(this.floorReader.liveVersions(this.#store.id).map((v) => [v.tableId, v]));
    let changed = false;
    for (const [tableId, view] of this.state.tables) {
      const session = this.ctx.sessions.get(this.#store.id, tableId);
      if (!session) continue;
      const stored = live.get(tableId);
      const held = session.state;
      // Another writer moved it, opened it, or ended it (live here, not in storage).
      const stale = stored ? stored.sessionId !== held.sessionId || stored.version !== held.version : isLive(held.status);
      if (!stale) continue;
      session.load();
      applySession(view, session.state);
      changed = true;
    }
    if (changed) this.broadcastPatch();
  }

  override onDispose(): void {
    clearInterval(this.#timer);
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
  }
}

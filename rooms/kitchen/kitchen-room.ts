import { Room, type Client, type AuthContext } from "@colyseus/core";
import type { Principal, RoomContext, StoreView } from "../context.ts";
import { CommandPipeline, wireCommands, type CommandMeta, type Outcome } from "../command-pipeline.ts";
import { authenticateJoin, guardJoins, joinError } from "../join-auth.ts";
import { roomLimits } from "../../protocol/limits.ts";
import { kitchenCommandSchema, kitchenCommandTypes, type KitchenCommand } from "../../protocol/kitchen-commands.ts";
import { syncStock } from "../table/state-sync.ts";
import { KitchenState } from "./kitchen-state.ts";
import { kitchenLimits } from "./limits.ts";
import { refreshFlags, syncAllDay, syncBumped, syncTickets, type ViewScope } from "./board-view.ts";
import { KitchenActions } from "./kitchen-actions.ts";

interface JoinOptions {
  storeId: string;
  /** A station id, or "all". */
  stationId: string;
}

const kitchenRoles = ["kitchen", "staff", "admin"] as const;

/**
 * A kitchen display (KDS) for one station or all: the open tickets of the store, live from the
 * outbox, plus the actions a line cook and an expediter take on them.
 */
export class KitchenRoom extends Room<{ state: KitchenState; metadata: JoinOptions; client: Client<{ auth: Principal }> }> {
  declare ctx: RoomContext;
  override state = new KitchenState();
  override maxClients = kitchenLimits.kitchenClientsMax;
  override maxMessagesPerSecond = roomLimits.messagesPerSecondMax;
  override patchRate: number | null = null;
  #scope!: ViewScope;
  #pipeline!: CommandPipeline<KitchenCommand>;
  #unsubscribe: (() => void)[] = [];

  static withContext(ctx: RoomContext): typeof KitchenRoom {
    return class BoundKitchenRoom extends KitchenRoom {
      override ctx = ctx;
      static override async onAuth(token: string, options: unknown, _context: AuthContext) {
        await authenticateJoin(ctx, token, options, kitchenRoles);
        scopeOf(ctx, options);
        return true; // the room's own gate (guardJoins) decides, against this room's store
      }
    };
  }

  override onCreate(options: JoinOptions): void {
    const { store, stationId } = scopeOf(this.ctx, options);
    const minutes = this.ctx.kitchen;
    this.#scope = {
      storeId: store.id,
      stationId,
      tableName: (tableId) => store.tables.get(tableId)?.name ?? tableId,
      urgentAfterMs: minutes.urgentAfterMinutes * 60_000,
      lateServeAfterMs: minutes.lateServeAfterMinutes * 60_000,
    };
    this.state.storeId = store.id;
    this.state.stationId = stationId;
    this.state.urgentAfterMinutes = minutes.urgentAfterMinutes;
    guardJoins(this, this.ctx, kitchenRoles, () => ({ storeId: store.id }));
    const board = this.ctx.board;
    syncTickets(this.state, board, this.#scope, this.ctx.clock.nowMs());
    syncBumped(this.state, board, this.#scope);
    syncAllDay(this.state, board, this.#scope);
    syncStock(this.state, this.ctx.stock.levels(store.id));
    this.#unsubscribe.push(
      // Changes of one event-loop turn go out as one patch: a busy service sends hundreds of events a second.
      board.onChange((storeId, ticketIds) => {
        if (storeId !== store.id) return;
        for (const id of ticketIds) this.#dirtyTickets.add(id);
        this.#allDayDirty = true;
        this.#schedulePatch();
      }),
      this.ctx.stock.onChange((storeId) => {
        if (storeId !== store.id) return;
        syncStock(this.state, this.ctx.stock.levels(store.id));
        this.broadcastPatch();
      }),
      this.ctx.kitchenStatus.onChange(store.id, (online) => {
        for (const [station, alive] of online) this.state.kitchenOnline.set(station, alive);
        this.broadcastPatch();
      }),
    );
    // Node timers, not the room clock: broadcastPatch ticks the room clock, which would re-enter them.
    this.#timers.push(
      setInterval(() => {
        refreshFlags(this.state, this.#scope, this.ctx.clock.nowMs());
        this.broadcastPatch();
      }, kitchenLimits.flagRefreshEveryMs),
      // All-day counts scan every open item: at most a few times a second, not per event.
      setInterval(() => {
        if (!this.#allDayDirty) return;
        this.#allDayDirty = false;
        syncAllDay(this.state, board, this.#scope);
        this.broadcastPatch();
      }, kitchenLimits.allDayRefreshEveryMs),
    );
    const actions = new KitchenActions(this.ctx, store, this.#scope, () => [...this.state.bumped]);
    this.#pipeline = new CommandPipeline<KitchenCommand>({
      schema: kitchenCommandSchema,
      knownTypes: kitchenCommandTypes,
      scope: () => `kitchen:${store.id}`,
      rolesFor: (type) => (type === "menu.stock" ? ["kitchen", "admin"] : kitchenRoles),
      lookupPersisted: (_type, key) => this.ctx.reader.processedCommand(key),
      onBug: (error) => this.onUncaughtException(error, "command"),
      execute: (command: KitchenCommand, meta: CommandMeta): Promise<Outcome> => actions.execute(command, meta),
    });
    wireCommands(this, this.ctx, this.#pipeline);
    // Not a command: a liveness ping every few seconds, no reply (the front watches kitchenOnline).
    this.onMessage("heartbeat", (client: Client) => this.ctx.kitchenStatus.beat(client.sessionId));
  }

  #dirtyTickets = new Set<string>();
  #allDayDirty = false;
  #patchScheduled = false;
  #timers: NodeJS.Timeout[] = [];

  #schedulePatch(): void {
    if (this.#patchScheduled) return;
    this.#patchScheduled = true;
    setImmediate(() => {
      this.#patchScheduled = false;
      const ids = this.#dirtyTickets;
      this.#dirtyTickets = new Set();
      if (syncTickets(this.state, this.ctx.board, this.#scope, this.ctx.clock.nowMs(), ids)) syncBumped(this.state, this.ctx.board, this.#scope);
      this.broadcastPatch();
    });
  }

  override onJoin(client: Client): void {
    this.ctx.kitchenStatus.connected(client.sessionId, this.#scope.storeId, this.#scope.stationId);
  }

  override onLeave(client: Client): void {
    this.ctx.kitchenStatus.disconnected(client.sessionId);
  }

  override onDispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    for (const timer of this.#timers) clearInterval(timer);
  }

  /** A bug is logged; the screens stay connected (the board is rebuilt from storage, not from this room). */
  override onUncaughtException(error: Error, methodName: string): void {
    this.ctx.log.error(`kitchen ${this.state.storeId}/${this.state.stationId}: uncaught in ${methodName}`, error);
  }
}

function scopeOf(ctx: RoomContext, options: unknown): { store: StoreView; stationId: string } {
  const { storeId, stationId } = (options ?? {}) as { storeId?: unknown; stationId?: unknown };
  const store = typeof storeId === "string" ? ctx.stores.get(storeId) : undefined;
  if (!store) throw joinError(404, "NOT_FOUND", `unknown store ${String(storeId)}`);
  if (stationId === "all") return { store, stationId: "" };
  if (typeof stationId !== "string" || !store.stationIds.includes(stationId)) throw joinError(404, "NOT_FOUND", `unknown station ${String(stationId)} (use a station id or "all")`);
  return { store, stationId };
}

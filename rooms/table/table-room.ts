import { Room, type Client, type AuthContext } from "@colyseus/core";
import type { Principal, RoomContext, StoreView } from "../context.ts";
import { CommandPipeline, sendReply, type CommandMeta, type Outcome } from "../command-pipeline.ts";
import { authenticateJoin, tableOf } from "../join-auth.ts";
import { roomLimits } from "../limits.ts";
import { TableState } from "../table-state.ts";
import { errorReply } from "../wire/reply.ts";
import { wireError } from "../wire/codes.ts";
import { tableCommandSchema, tableCommandTypes, type TableCommand } from "../wire/table-commands.ts";
import { Draft } from "./draft.ts";
import { TableSession } from "./table-session.ts";
import { syncSession } from "./state-sync.ts";

interface JoinOptions {
  storeId: string;
  tableId: string;
}

/** Who may send what in a table room; customers arrive with the QR issue. */
const tableRoles = ["staff", "admin"] as const;

/**
 * One room per table: the actor that owns the table's session. Commands run one at a time
 * (CommandPipeline's mailbox); confirmed state changes only after a durable commit.
 */
export class TableRoom extends Room<{ state: TableState; metadata: JoinOptions; client: Client<{ auth: Principal }> }> {
  declare ctx: RoomContext;
  override state = new TableState();
  override maxClients = roomLimits.tableClientsMax;
  override maxMessagesPerSecond = roomLimits.messagesPerSecondMax;
  // Every mutation is followed by an explicit broadcastPatch, so no timer is needed (gotcha 8).
  override patchRate: number | null = null;
  #session!: TableSession;
  #draft!: Draft;
  #pipeline!: CommandPipeline<TableCommand>;
  #store!: StoreView;

  /** Binds the room class to the server's context; Colyseus instantiates the returned class. */
  static withContext(ctx: RoomContext): typeof TableRoom {
    return class BoundTableRoom extends TableRoom {
      override ctx = ctx;
      static override async onAuth(token: string, options: unknown, _context: AuthContext) {
        const principal = await authenticateJoin(ctx, token, options, tableRoles);
        tableOf(ctx, options);
        return principal;
      }
    };
  }

  override onCreate(options: JoinOptions): void {
    const { store, tableId } = tableOf(this.ctx, options);
    this.#store = store;
    this.state.storeId = store.id;
    this.state.tableId = tableId;
    this.state.tableName = store.tables.get(tableId)!.name;
    this.#session = new TableSession(this.ctx, store, tableId);
    this.#session.load();
    syncSession(this.state, this.#session.state);
    this.#draft = new Draft(this.state, () => this.#store.menu, () => this.ctx.newId());
    this.#pipeline = new CommandPipeline<TableCommand>({
      schema: tableCommandSchema,
      knownTypes: tableCommandTypes,
      scope: () => `table:${store.id}:${tableId}`,
      rolesFor: () => tableRoles,
      lookupPersisted: (_type, cmdId) => this.ctx.reader.processedCommand(cmdId),
      execute: (command, meta) => this.#execute(command, meta),
    });
    this.onMessage("cmd", (client: Client<{ auth: Principal }>, message: unknown, reply) => {
      const answer = client.auth
        ? this.#pipeline.handle(client.auth, message)
        : Promise.resolve(errorReply("", wireError("UNAUTHORIZED", "join with a token first")));
      // A plain send() gets its reply as a "reply" message; a request() gets it as the response.
      if (reply.id === undefined) void answer.then((r) => sendReply(client, r));
      return answer;
    });
    this.onMessage("*", (client: Client, type: string | number) => {
      sendReply(client, errorReply("", wireError("UNKNOWN_COMMAND", `unknown message type ${String(type).slice(0, 64)}; send commands as "cmd"`)));
    });
  }

  async #execute(command: TableCommand, meta: CommandMeta): Promise<Outcome> {
    const outcome = await this.#dispatch(command, meta);
    if (outcome.ok) {
      syncSession(this.state, this.#session.state);
      this.broadcastPatch();
    }
    return outcome;
  }

  #dispatch(command: TableCommand, meta: CommandMeta): Promise<Outcome> | Outcome {
    const session = this.#session;
    const status = session.state.status;
    switch (command.type) {
      case "session.open":
        return session.open(command.guests ?? 0, meta);
      case "draft.add":
        return this.#draft.add(command, meta.principal.staffId, status);
      case "draft.change":
        return this.#draft.change(command, status);
      case "draft.remove":
        return this.#draft.remove(command.lineId);
      case "draft.clear":
        return this.#draft.clear();
      case "confirm":
        return this.#confirm(command, meta);
      case "item.cancel":
        return session.cancelItem(command.itemId, command.reason, meta, command.expectedVersion);
      case "item.changeQuantity":
        return session.changeQuantity(command.itemId, command.quantity, command.reason ?? "quantity change", meta, command.expectedVersion);
      case "session.close":
        return session.close(command.reason ?? "", meta, command.expectedVersion);
    }
  }

  async #confirm(command: Extract<TableCommand, { type: "confirm" }>, meta: CommandMeta): Promise<Outcome> {
    if (command.draftVersion !== undefined && command.draftVersion !== this.#draft.version) {
      return { ok: false, error: wireError("VERSION_CONFLICT", "the draft changed since you looked at it", { draftVersion: this.#draft.version }) };
    }
    const fromDraft = command.lines === undefined;
    const lines = fromDraft
      ? this.#draft.requests()
      : command.lines!.map((l) => ({ menuId: l.menuId, quantity: l.quantity, optionIds: l.optionIds ?? [], note: l.note ?? "" }));
    const outcome = await this.#session.confirm(lines, meta, command.expectedVersion);
    if (outcome.ok && fromDraft) this.#draft.clear();
    return outcome;
  }

  override onJoin(client: Client<{ auth: Principal }>): void {
    this.ctx.log.info(`table ${this.state.tableId}: ${client.auth?.staffId} joined (${this.clients.length} terminals)`);
  }

  override async onDrop(client: Client): Promise<void> {
    await this.allowReconnection(client, roomLimits.reconnectSeconds).catch(() => undefined);
  }

  override onLeave(): void {
    // R-ORD-3: when the last terminal is gone the unconfirmed draft goes with it.
    if (this.clients.length === 0) this.#draft.clear();
  }

  /** A bug, not a business refusal: log it and drop the room; the next join rebuilds from SQLite. */
  override onUncaughtException(error: Error, methodName: string): void {
    this.ctx.log.error(`table ${this.state.tableId}: uncaught in ${methodName}; disposing room`, error);
    void this.disconnect();
  }
}

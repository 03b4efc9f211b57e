import { CloseCode, Room, type Client, type AuthContext } from "@colyseus/core";
import { StateView } from "@colyseus/schema";
import type { Principal, RoomContext, StoreView } from "../context.ts";
import { CommandPipeline, wireCommands, type CommandMeta, type Outcome } from "../command-pipeline.ts";
import { authenticateJoin, guardJoins, joinError, tableOf } from "../join-auth.ts";
import { roomLimits } from "../../protocol/limits.ts";
import { TableState } from "../table-state.ts";
import { wireError } from "../../protocol/codes.ts";
import { customerCommandTypes, tableCommandSchema, tableCommandTypes, type TableCommand } from "../../protocol/table-commands.ts";
import { GuestDesk } from "./guest-desk.ts";
import { revealLineArrays } from "./view-arrays.ts";
import { Draft } from "./draft.ts";
import type { TableSession } from "./table-session.ts";
import { amountsOf, assertNever, fold, initialSessionState, isActive, isLive, isTerminal, type ActorRef, type SessionState } from "../../domain/index.ts";
import { PaymentFlow } from "./payment-flow.ts";
import { quoteView, refreshPaymentReply } from "./payment-view.ts";
import { ReceiptDesk } from "./receipt-desk.ts";
import { TableEditLock } from "./edit-lock.ts";
import { offlineOriginError } from "./offline-origin.ts";
import { otherSessionError } from "./other-session.ts";
import { syncSession, syncStock } from "./state-sync.ts";

interface JoinOptions {
  storeId: string;
  tableId: string;
}

/** Who may join a table room: staff terminals, and the table's own QR phones (customers). */
const tableRoles = ["staff", "admin", "customer"] as const;
const staffRoles = ["staff", "admin"] as const;
const customerRoles = ["customer"] as const;

/**
 * One room per table: the actor that owns the table's session. Commands run one at a time
 * (CommandPipeline's mailbox); confirmed state changes only after a durable commit.
 */
export class TableRoom extends Room<{ state: TableState; metadata: JoinOptions; client: Client<{ auth: Principal }> }> {
  declare ctx: RoomContext;
  override state = new TableState();
  // The table's limit is enforced at join with a typed TABLE_FULL; Colyseus's own cap sits above
  // it so that seats held for dropped terminals never lock the room against new ones.
  override maxClients = roomLimits.tableClientsMax + roomLimits.heldSeatsMax;
  override maxMessagesPerSecond = roomLimits.messagesPerSecondMax;
  // Every mutation is followed by an explicit broadcastPatch, so no timer is needed (gotcha 8).
  override patchRate: number | null = null;
  #session!: TableSession;
  #draft!: Draft;
  #pipeline!: CommandPipeline<TableCommand>;
  #store!: StoreView;
  #payments!: PaymentFlow;
  #guests!: GuestDesk;
  #receipts!: ReceiptDesk;
  #editLock!: TableEditLock;

  /** Binds the room class to the server's context; Colyseus instantiates the returned class. */
  static withContext(ctx: RoomContext): typeof TableRoom {
    return class BoundTableRoom extends TableRoom {
      override ctx = ctx;
      static override async onAuth(token: string, options: unknown, _context: AuthContext) {
        await authenticateJoin(ctx, token, options, tableRoles);
        tableOf(ctx, options);
        return true; // the room's own gate (guardJoins) decides, against this room's store and table
      }
    };
  }

  #unsubscribe: (() => void)[] = [];

  override onCreate(options: JoinOptions): void {
    const { store, tableId } = tableOf(this.ctx, options);
    this.#store = store;
    this.state.storeId = store.id;
    this.state.tableId = tableId;
    this.state.tableName = store.tables.get(tableId)!.name;
    if (!this.ctx.sessions.attachRoom(store.id, tableId, this.roomId)) throw joinError(409, "TABLE_FULL", "this table already has a room");
    guardJoins(this, this.ctx, tableRoles, () => ({ storeId: store.id, tableId }), (principal) => {
      if (principal.role === "customer" && !this.#guests.live(principal)) throw joinError(401, "UNAUTHORIZED", "this table's session has ended; scan the QR code again");
      if (connectedAndJoining(this) > roomLimits.tableClientsMax) {
        throw joinError(409, "TABLE_FULL", `this table already has ${roomLimits.tableClientsMax} terminals`);
      }
    });
    this.#session = this.ctx.sessions.get(store.id, tableId)!;
    this.#editLock = new TableEditLock({ ctx: this.ctx, store, tableId, state: this.state, session: () => this.#session.state, patch: () => this.broadcastPatch() });
    // A table whose last session ended is free: the next terminal starts from an empty table.
    if (isTerminal(this.#session.state.status)) this.#session.load();
    syncSession(this.state, this.#session.state);
    syncStock(this.state, this.ctx.stock.levels(store.id));
    // Every change of the session, whichever room caused it (a KDS marking "cooking"), reaches the terminals.
    this.#unsubscribe.push(this.#session.onChange((session, events) => {
      syncSession(this.state, session);
      // A customer token dies with its session, or when it times out (R-OFF-1): its phones leave, and the carts go with it.
      if (!isActive(session.status)) this.#guests.sendAway(this.clients);
      // R-OFF-1: an idle table's unconfirmed draft is dropped with the timeout (nobody was entering it).
      if (events.some((e) => e.type === "SessionTimedOut") && this.state.draft.size > 0) this.#draft.clear();
      if (!isActive(session.status)) this.#editLock.sessionEnded(); // R-CON-1: an ended session frees its lock
      this.broadcastPatch();
    }));
    this.#unsubscribe.push(this.ctx.staffCalls.on((call) => {
      if (call.storeId !== store.id || call.tableId !== tableId) return;
      for (const client of this.clients) if (client.auth?.role !== "customer") client.send("staffCall", call);
    }));
    this.#unsubscribe.push(this.ctx.stock.onChange((storeId) => {
      if (storeId !== store.id) return;
      syncStock(this.state, this.ctx.stock.levels(store.id));
      this.broadcastPatch();
    }));
    // R-KRP-2 / R-UI-4: a slip of this table that could not print is told to its terminals at once.
    this.#unsubscribe.push(this.ctx.printing.onNotice((notice) => {
      if (notice.storeId === store.id && notice.tableId === tableId && notice.kind === "print_failed") this.broadcast("notice", notice);
    }));
    this.#unsubscribe.push(this.ctx.kitchenStatus.onChange(store.id, (online) => {
      for (const [stationId, alive] of online) this.state.kitchenOnline.set(stationId, alive);
      this.broadcastPatch();
    }));
    this.#payments = new PaymentFlow(this.ctx, this.#session);
    this.#receipts = new ReceiptDesk(this.ctx, this.#store, this.#session);
    this.#guests = new GuestDesk(this.ctx, this.#store, this.#session, this.state, () => this.broadcastPatch());
    this.#draft = new Draft(this.state, () => this.#store.menu, () => this.ctx.newId());
    this.#pipeline = new CommandPipeline<TableCommand>({
      schema: tableCommandSchema,
      knownTypes: tableCommandTypes,
      scope: () => `table:${store.id}:${tableId}`,
      rolesFor: (type) => (customerCommandTypes.has(type) ? customerRoles : staffRoles),
      lookupPersisted: (_type, key) => this.ctx.reader.processedCommand(key),
      onBug: (error) => this.onUncaughtException(error, "command"),
      // Card payments and refunds wait on the provider beside the queue (R-CON-4).
      runsBeside: (type) => type === "payment.start" || type === "refund.start" || type === "cashReceipt.issue" || type === "cart.pay",
      refreshReply: (type, reply) => refreshPaymentReply(type, reply, this.#session.state, this.ctx.paymentRecords),
      execute: (command, meta) => this.#execute(command, meta),
    });
    wireCommands(this, this.ctx, this.#pipeline);
  }

  async #execute(command: TableCommand, meta: CommandMeta): Promise<Outcome> {
    if (meta.principal.role === "customer" && !this.#guests.live(meta.principal)) {
      return { ok: false, error: wireError("SESSION_CLOSED", "this table's session has ended; scan the QR code again") };
    }
    const foreign = offlineOriginError(command, meta.principal, { storeId: this.#store.id, tableId: this.state.tableId, sessionOpenedAt: this.#session.state.openedAt }, this.ctx.clock.nowMs());
    if (foreign) return { ok: false, error: foreign };
    const elsewhere = otherSessionError(command, this.#session.state.sessionId);
    if (elsewhere) return { ok: false, error: elsewhere };
    const locked = this.#editLock.refusal(command.type, meta); // R-CON-1: another terminal holds the edit lock
    if (locked) return locked;
    const outcome = await this.#dispatch(command, meta);
    // Draft and cart edits live in room state only; session changes were already patched by onChange.
    if (outcome.ok && (command.type.startsWith("draft.") || command.type.startsWith("cart."))) {
      revealLineArrays(this.clients, this.state);
      this.broadcastPatch();
    }
    return outcome;
  }

  /**
   * R-TLL-3: cancelling a prepaid QR/app item gives the money back through the payment that paid
   * for its batch, as its own refund (audited; a card refund goes to the provider). The cancel's
   * reply carries the refund's outcome; if the refund cannot be made the balance shows as due.
   */
  async #refundPrepaid(cancelled: Promise<Outcome>, reason: string, meta: CommandMeta): Promise<Outcome> {
    const outcome = await cancelled;
    if (!outcome.ok) return outcome;
    const state = this.#session.state;
    const due = -amountsOf(state).outstanding;
    if (due <= 0) return outcome;
    const prepaid = [...state.payments.values()].filter((p) => p.forBatchId !== null && p.approved - p.refunded - p.refundPending > 0);
    const payment = prepaid.at(-1);
    if (!payment) return outcome;
    const amount = Math.min(due, payment.approved - payment.refunded - payment.refundPending);
    const codes = this.#store.money.adjustmentReasonCodes;
    const reasonCode = codes.includes("other") ? "other" : codes[0]!;
    const refund = await this.#payments.refund({ paymentId: payment.paymentId, amount, reason: reason || "prepaid item cancelled", reasonCode }, { ...meta, cmdId: `${meta.cmdId}#refund` });
    return { ok: true, data: { ...(outcome.data as object), refund: refund.ok ? refund.data : { error: refund.error } } };
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
        return this.#refundPrepaid(session.cancelItem(command.itemId, command.reason, command.reasonCode, meta, command.expectedVersion), command.reason, meta);
      case "batch.cancel":
        return this.#refundPrepaid(session.cancelBatch(command.batchId, command.reason, command.reasonCode, meta, command.expectedVersion), command.reason, meta);
      case "item.serve":
        return session.advance(command.itemIds, "served", meta, command.expectedVersion);
      case "item.changeQuantity":
        return session.changeQuantity(command.itemId, command.quantity, command.reason ?? "quantity change", meta, command.expectedVersion);
      case "session.close":
        return this.#close(command.reason ?? "", meta, command.expectedVersion);
      case "session.reopen":
        return this.#reopen(command, meta);
      case "session.resume":
        return session.submit(meta, () => ({
          command: { type: "ResumeSession", reason: command.reason, expectedVersion: command.expectedVersion },
          reply: (s) => ({ sessionId: s.sessionId, status: s.status, version: s.version, outstandingWon: amountsOf(s).outstanding }),
        }));
      case "payment.quote":
        return { ok: true, data: quoteView(session.state, command.ways, command.itemIds) };
      case "payment.start":
        return this.#payments.pay(command, meta);
      case "refund.start":
        return this.#payments.refund(command, meta);
      case "adjustment.apply":
        return this.#adjust(command, meta);
      case "adjustment.remove":
        return session.submit(meta, () => ({
          command: { type: "RemoveAdjustment", adjustmentId: command.adjustmentId, reason: command.reason, expectedVersion: command.expectedVersion },
          reply: (s) => ({ adjustmentId: command.adjustmentId, ...quoteView(s, undefined, undefined) }),
        }));
      case "receipt.get":
        return { ok: true, data: this.#receipts.data() };
      case "receipt.print":
        return this.#receipts.print(meta);
      case "cashReceipt.issue":
        return this.#receipts.issueCashReceipt(command, meta);
      case "lock.take":
        return this.#editLock.take(command, meta);
      case "lock.release":
        return this.#editLock.release(meta);
      case "lock.takeover":
        return this.#editLock.takeover(command, meta);
      case "cart.add":
      case "cart.remove":
      case "cart.clear":
      case "cart.confirm":
      case "cart.pay":
      case "staff.call":
        return this.#guests.execute(command, meta);
      default:
        return assertNever(command);
    }
  }

  async #adjust(command: Extract<TableCommand, { type: "adjustment.apply" }>, meta: CommandMeta): Promise<Outcome> {
    let approvedBy: ActorRef | undefined;
    if (command.approver) {
      if (command.approver.staffId === meta.principal.staffId) return { ok: false, error: wireError("FORBIDDEN", "the approver must be someone else") };
      const check = await this.ctx.verifyApprover(this.#store.id, command.approver.staffId, command.approver.pin);
      if (!check.ok) return { ok: false, transient: true, error: wireError(check.code, check.code === "UNAUTHORIZED" ? "approver unknown or wrong PIN" : "too many wrong approver PINs; try again later") };
      approvedBy = check.approver;
    }
    const adjustmentId = this.ctx.newId();
    return this.#session.submit(meta, () => ({
      command: {
        type: "ApplyAdjustment", adjustmentId, kind: command.kind, scope: command.scope, targetId: command.targetId ?? null, percent: command.percent,
        amount: command.amount, reasonCode: command.reasonCode, note: command.note ?? "", approvedBy, expectedVersion: command.expectedVersion,
      },
      reply: (s) => ({ adjustmentId, amountWon: s.adjustments.get(adjustmentId)?.amount, ...quoteView(s, undefined, undefined) }),
    }));
  }

  /**
   * R-VAL-1: an admin reopens the table's last session, or an earlier one of this table named by
   * `sessionId` (loaded from the journal). The table must be free: a live session keeps it.
   */
  #reopen(command: Extract<TableCommand, { type: "session.reopen" }>, meta: CommandMeta): Promise<Outcome> | Outcome {
    let base: SessionState | undefined;
    if (command.sessionId !== undefined && command.sessionId !== this.#session.state.sessionId) {
      if (isLive(this.#session.state.status)) return { ok: false, error: wireError("SESSION_ALREADY_OPEN", "this table has a live session; close it first", { sessionId: this.#session.state.sessionId }) };
      const events = this.ctx.reader.events(command.sessionId);
      const loaded = events.length > 0 ? fold(events, initialSessionState()) : undefined;
      if (!loaded || loaded.storeId !== this.#store.id || loaded.tableId !== this.state.tableId) return { ok: false, error: wireError("NOT_FOUND", "no such session on this table") };
      base = loaded;
    }
    return this.#session.submit(meta, () => ({
      ...(base ? { base } : {}),
      command: { type: "ReopenSession", reason: command.reason, expectedVersion: command.expectedVersion },
      reply: (s) => ({ sessionId: s.sessionId, status: s.status, version: s.version }),
    }));
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
    if (outcome.ok && fromDraft) {
      this.#draft.clear();
      this.broadcastPatch();
    }
    return outcome;
  }

  /** A closed session takes its unconfirmed draft with it; the next guests start clean. */
  async #close(reason: string, meta: CommandMeta, expectedVersion: number | undefined): Promise<Outcome> {
    const outcome = await this.#session.close(reason, meta, expectedVersion);
    if (outcome.ok && this.state.draft.size > 0) {
      this.#draft.clear();
      this.broadcastPatch();
    }
    return outcome;
  }

  override onDispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#editLock?.dispose();
    if (this.#store) this.ctx.sessions.detachRoom(this.#store.id, this.state.tableId, this.roomId);
  }

  override onJoin(client: Client<{ auth: Principal }>): void {
    // One StateView per client, never shared (COLYSEUS.md "Verified (turn 2)"): staff see every
    // staff-only collection and field; a phone sees the public state and its own cart only.
    const view = new StateView();
    if (client.auth?.role === "customer") {
      this.#guests.showCart(view, client.auth.staffId);
    } else {
      view.subscribe(this.state.draft);
      view.subscribe(this.state.payments);
      view.subscribe(this.state.adjustments);
      view.subscribe(this.state.carts);
      view.subscribe(this.state.items);
      view.subscribe(this.state.lock);
    }
    client.view = view;
    this.ctx.log.info(`table ${this.state.tableId}: ${client.auth?.staffId} joined (${this.clients.length} terminals)`);
  }

  override async onDrop(client: Client, code?: number): Promise<void> {
    // Closed by the server for flooding or a protocol error: no seat is held for it.
    if (code === CloseCode.WITH_ERROR) return;
    // A lost connection keeps the shared draft and may come back; its held seat does not count
    // towards the table's terminal limit (connectedAndJoining), so nobody is locked out meanwhile.
    await this.allowReconnection(client, roomLimits.reconnectSeconds).catch(() => undefined);
  }

  override onLeave(client: Client, code?: number): void {
    client.view?.dispose?.();
    // R-CON-1: the final leave (on purpose, or the reconnection window ran out) frees the holder's lock.
    this.#editLock?.holderLeft(client.sessionId);
    // R-ORD-3: the last terminal leaving on purpose discards the unconfirmed draft; a terminal
    // that only lost its connection does not (the draft belongs to the table, not the socket).
    if (this.clients.length === 0 && code === CloseCode.CONSENTED) this.#draft.clear();
  }

  /**
   * A bug, not a business refusal. The room stays up (every other terminal keeps working): the
   * session is rebuilt from SQLite, which holds only committed facts, and shown again.
   */
  override onUncaughtException(error: Error, methodName: string): void {
    this.ctx.log.error(`table ${this.state.tableId}: uncaught in ${methodName}; reloading the session from storage`, error);
    if (!this.#session) return;
    try {
      this.#session.load();
      syncSession(this.state, this.#session.state);
      this.broadcastPatch();
    } catch (reloadError) {
      this.ctx.log.error(`table ${this.state.tableId}: reload after a bug failed`, reloadError);
    }
  }
}

/**
 * Terminals in the room plus those whose join is under way (their consumed seat reservations),
 * so that concurrent joins cannot overshoot the limit. Seats held for dropped terminals are not
 * counted. Reads Colyseus's seat table, which 0.18 keeps as `_reservedSeats`
 * (sessionId → [options, auth, consumed, isReconnection]).
 */
function connectedAndJoining(room: Room): number {
  const seats = (room as unknown as { _reservedSeats: Record<string, [unknown, unknown, boolean, boolean]> })._reservedSeats;
  let joining = 0;
  for (const seat of Object.values(seats)) if (seat[2] && !seat[3]) joining += 1;
  return room.clients.length + joining;
}

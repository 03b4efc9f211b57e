import type { Client } from "@colyseus/core";
import type { StateView } from "@colyseus/schema";
import { isActive } from "../../domain/index.ts";
import type { CommandMeta, Outcome } from "../command-pipeline.ts";
import type { Principal, RoomContext, StoreView } from "../context.ts";
import type { TableState } from "../table-state.ts";
import { wireError } from "../../protocol/codes.ts";
import type { TableCommand } from "../../protocol/table-commands.ts";
import { CartCheckout } from "./cart-checkout.ts";
import { Carts } from "./carts.ts";
import { customerLimits, SlidingLimit } from "./customer-limits.ts";
import type { TableSession } from "./table-session.ts";

/** Close code a phone gets when its table's session ends (its customer token is dead from then on). */
export const closedForCustomers = 4401;

type GuestCommand = Extract<TableCommand, { type: "cart.add" | "cart.remove" | "cart.clear" | "cart.confirm" | "cart.pay" | "staff.call" }>;

/**
 * The table's QR phones (issue 12): each phone's cart, its confirm (a `qr` batch through the same
 * decider, 86 and money rules as the POS) or its prepaid cart payment, the staff call, and the
 * limits on all of them. The room hands it the customer commands and the phones' lifecycle.
 */
export class GuestDesk {
  readonly #carts: Carts;
  readonly #checkout: CartCheckout;
  /** Phones whose cart payment is under way (cart.pay runs beside the room's queue). */
  readonly #paying = new Set<string>();
  readonly #confirmsPerToken = new SlidingLimit(customerLimits.confirmsPerTokenPerMinute, 60_000);
  readonly #confirmsPerTable = new SlidingLimit(customerLimits.confirmsPerTablePerMinute, 60_000);
  readonly #callsPerToken = new SlidingLimit(customerLimits.staffCallsPerTokenPerMinute, 60_000);

  constructor(
    private readonly ctx: RoomContext,
    private readonly store: StoreView,
    private readonly session: TableSession,
    private readonly state: TableState,
    private readonly patch: () => void,
  ) {
    this.#carts = new Carts(state, () => store.menu, () => ctx.newId());
    this.#checkout = new CartCheckout(ctx, store, session);
  }

  /** A customer token is good only while the session it was made for is the table's live one. */
  live(principal: Principal): boolean {
    const state = this.session.state;
    return isActive(state.status) && state.sessionId === principal.sessionId && principal.tableId === this.state.tableId;
  }

  /** A phone sees its own cart only (its StateView). */
  showCart(view: StateView, customerId: string): void {
    view.add(this.#carts.of(customerId));
  }

  /** The session ended or timed out: every phone leaves (4401) and the carts go with it. */
  sendAway(clients: Iterable<Client<{ auth: Principal }>>): void {
    this.#carts.clearAll();
    for (const client of [...clients]) if (client.auth?.role === "customer") client.leave(closedForCustomers);
  }

  execute(command: GuestCommand, meta: CommandMeta): Promise<Outcome> | Outcome {
    const customerId = meta.principal.staffId;
    switch (command.type) {
      case "cart.add":
        return this.#carts.add(customerId, command);
      case "cart.remove":
        return this.#carts.remove(customerId, command.lineId);
      case "cart.clear":
        return this.#carts.clear(customerId);
      case "cart.confirm":
        return this.#confirm(customerId, meta);
      case "cart.pay":
        return this.#pay(customerId, command, meta);
      case "staff.call":
        return this.#call(customerId, command.note ?? "");
    }
  }

  async #confirm(customerId: string, meta: CommandMeta): Promise<Outcome> {
    const lines = this.#carts.requests(customerId);
    if (lines.length === 0) return { ok: false, error: wireError("EMPTY_DRAFT", "the cart is empty") };
    if (this.store.qrPayment === "before") return { ok: false, error: wireError("FORBIDDEN", "this store takes payment before the order is sent: pay the cart (cart.pay)", { rule: "qr_prepay_required" }) };
    // The same lines are being paid for right now: sending them unpaid too would cook them twice.
    if (this.#paying.has(customerId)) return { ok: false, transient: true, error: wireError("PAYMENT_IN_PROGRESS", "this phone is paying its cart; wait for it") };
    const refused = this.#takeConfirmTurn(customerId);
    if (refused) return refused;
    const outcome = await this.session.confirm(lines, meta, undefined, "qr");
    if (outcome.ok) {
      this.#carts.clear(customerId);
      this.patch();
    }
    return outcome;
  }

  /**
   * Prepaid QR (R-TLL-3): the phone's cart as it is now is charged, then sent with its payment. One
   * payment per phone at a time; lines added meanwhile stay in the cart for the next order.
   */
  async #pay(customerId: string, command: Extract<TableCommand, { type: "cart.pay" }>, meta: CommandMeta): Promise<Outcome> {
    if (this.#paying.has(customerId)) return { ok: false, transient: true, error: wireError("PAYMENT_IN_PROGRESS", "this phone is already paying its cart") };
    this.#paying.add(customerId);
    try {
      const lineIds = this.#carts.lineIds(customerId);
      const { outcome, sentNow } = await this.#checkout.pay(customerId, this.#carts.requests(customerId), command, meta, () => this.#takeConfirmTurn(customerId));
      // A replay answers with what an earlier request did: the cart as it is now was not sent.
      if (outcome.ok && sentNow) {
        this.#carts.removeLines(customerId, lineIds);
        this.patch();
      }
      return outcome;
    } finally {
      this.#paying.delete(customerId);
    }
  }

  /** The phone's and the table's confirm limits: both checked before either is used up, so a refusal by one costs no turn of the other. */
  #takeConfirmTurn(customerId: string): Outcome | undefined {
    const nowMs = this.ctx.clock.nowMs();
    const limits = [[this.#confirmsPerToken, customerId, "phone"], [this.#confirmsPerTable, this.state.tableId, "table"]] as const;
    for (const [limit, key, scope] of limits) {
      const turn = limit.check(key, nowMs);
      if (!turn.ok) return { ok: false, transient: true, error: wireError("RATE_LIMITED", `too many orders from this ${scope} right now; wait a moment`, { scope, retryAfterMs: turn.retryAfterMs }) };
    }
    for (const [limit, key] of limits) limit.take(key, nowMs);
    return undefined;
  }

  #call(customerId: string, note: string): Outcome {
    const turn = this.#callsPerToken.take(customerId, this.ctx.clock.nowMs());
    if (!turn.ok) return { ok: false, transient: true, error: wireError("RATE_LIMITED", "the staff were called a moment ago", { retryAfterMs: turn.retryAfterMs }) };
    const at = new Date(this.ctx.clock.nowMs()).toISOString();
    this.ctx.staffCalls.emit({ storeId: this.store.id, tableId: this.state.tableId, tableName: this.state.tableName, sessionId: this.session.state.sessionId, customerId, note, at });
    return { ok: true, data: { calledAt: at } };
  }
}

import { priceLine, totalOf, type LineRequest, type Menu } from "../../domain/index.ts";
import type { Outcome } from "../command-pipeline.ts";
import { CartLineState, CartState, type TableState } from "../table-state.ts";
import { fromDomainError, wireError } from "../../protocol/codes.ts";
import { customerLimits } from "./customer-limits.ts";

/**
 * Each phone's own cart (issue #12): priced on every edit like the POS draft, kept only in room
 * state (a `.view()` map: each customer's view holds its own cart), never in the database until
 * the phone confirms it as a `qr` batch through the same decider as the POS.
 */
export class Carts {
  constructor(private readonly state: TableState, private readonly menu: () => Menu, private readonly newId: () => string) {}

  /** The customer's cart, made empty on first use. */
  of(customerId: string): CartState {
    let cart = this.state.carts.get(customerId);
    if (!cart) {
      cart = new CartState({ cartId: customerId });
      this.state.carts.set(customerId, cart);
    }
    return cart;
  }

  add(customerId: string, edit: { menuId: string; quantity: number; optionIds?: readonly string[] | undefined; note?: string | undefined }): Outcome {
    const cart = this.of(customerId);
    if (cart.lines.size >= customerLimits.cartLinesMax) return { ok: false, error: wireError("LIMIT_EXCEEDED", "the cart is full", { max: customerLimits.cartLinesMax }) };
    const request: LineRequest = { menuId: edit.menuId, quantity: edit.quantity, optionIds: edit.optionIds ?? [], note: edit.note ?? "" };
    const priced = priceLine(this.menu(), request);
    if (!priced.ok) return { ok: false, error: fromDomainError(priced.error) };
    const total = totalOf("draft", [cart.totalWon, priced.line.lineTotal]);
    if (!total.ok) return { ok: false, error: fromDomainError(total.error) };
    const lineId = this.newId();
    const line = new CartLineState({ lineId, menuId: priced.line.menuId, name: priced.line.name });
    line.quantity = priced.line.quantity;
    line.optionIds.push(...request.optionIds);
    line.optionNames.push(...priced.line.options.map((o) => o.name));
    line.note = priced.line.note;
    line.lineTotalWon = priced.line.lineTotal;
    cart.lines.set(lineId, line);
    cart.totalWon = total.total;
    return { ok: true, data: { lineId, cartTotalWon: cart.totalWon, lines: cart.lines.size } };
  }

  remove(customerId: string, lineId: string): Outcome {
    const cart = this.of(customerId);
    const line = cart.lines.get(lineId);
    if (!line) return { ok: false, error: wireError("NOT_FOUND", "no such cart line", { lineId }) };
    cart.lines.delete(lineId);
    cart.totalWon -= line.lineTotalWon;
    return { ok: true, data: { lineId, cartTotalWon: cart.totalWon, lines: cart.lines.size } };
  }

  clear(customerId: string): Outcome {
    const cart = this.of(customerId);
    cart.lines.clear();
    cart.totalWon = 0;
    return { ok: true, data: { cartTotalWon: 0, lines: 0 } };
  }

  requests(customerId: string): LineRequest[] {
    return [...this.of(customerId).lines.values()].map((l) => ({ menuId: l.menuId, quantity: l.quantity, optionIds: [...l.optionIds], note: l.note }));
  }

  lineIds(customerId: string): string[] {
    return [...this.of(customerId).lines.keys()];
  }

  /** The lines an order took (a paid cart); lines added while it was being paid stay. */
  removeLines(customerId: string, lineIds: readonly string[]): void {
    const cart = this.of(customerId);
    for (const lineId of lineIds) {
      const line = cart.lines.get(lineId);
      if (!line) continue;
      cart.lines.delete(lineId);
      cart.totalWon -= line.lineTotalWon;
    }
  }

  /** Every cart goes with the session (a new one starts clean). */
  clearAll(): void {
    this.state.carts.clear();
  }
}

/**
 * A reference model of one table for the two-terminal race: items, adjustments and cash payments,
 * written from the SPEC rules directly (menu prices from the demo config, half-up percent, cash
 * above what is due is change), sharing no code with domain/. Accepted commands are applied in the
 * order of the versions their replies carry; every step checks the reply against the model, so a
 * lost update (a cancel of a line already gone, a payment against a balance that moved) fails here.
 */
import { demoRawConfig } from "../../server/config/demo.ts";

const prices = new Map<string, number>(demoRawConfig.stores[0]!.menu.map((m) => [m.id, m.price]));

export interface ModelItem { readonly unit: number; quantity: number; live: boolean }
export interface ModelAdjustment { readonly scope: "session" | "item"; readonly targetId: string | null; readonly amount: number }

/** What one accepted command asked for and what its reply said. */
export type Accepted =
  | { type: "confirm"; lines: { menuId: string; quantity: number }[]; reply: { itemIds: string[]; totalWon: number; version: number } }
  | { type: "item.cancel"; itemId: string; reply: { version: number } }
  | { type: "item.changeQuantity"; itemId: string; quantity: number; reply: { newItemId: string; version: number } }
  | { type: "payment.start"; amount: number; reply: { paymentId: string; approvedWon: number; version: number } }
  | { type: "adjustment.apply"; scope: "session" | "item"; targetId: string | null; percent?: number; amount?: number; reply: { adjustmentId: string; amountWon: number; version: number } };

export class TableModel {
  readonly items = new Map<string, ModelItem>();
  readonly adjustments = new Map<string, ModelAdjustment>();
  readonly payments = new Map<string, number>();

  get itemsTotal(): number {
    let sum = 0;
    for (const i of this.items.values()) if (i.live) sum += i.unit * i.quantity;
    return sum;
  }
  get sessionTotal(): number {
    let sum = this.itemsTotal;
    for (const a of this.adjustments.values()) sum += a.amount;
    return sum;
  }
  get paid(): number {
    let sum = 0;
    for (const p of this.payments.values()) sum += p;
    return sum;
  }

  /** Applies one accepted command; throws (with the reason) when the reply cannot follow from the model. */
  apply(command: Accepted): void {
    switch (command.type) {
      case "confirm": {
        check(command.reply.itemIds.length === command.lines.length, "one item per confirmed line");
        let total = 0;
        command.lines.forEach((line, i) => {
          const unit = prices.get(line.menuId)!;
          total += unit * line.quantity;
          this.items.set(command.reply.itemIds[i]!, { unit, quantity: line.quantity, live: true });
        });
        check(command.reply.totalWon === total, `batch total ${command.reply.totalWon}, model ${total}`);
        return;
      }
      case "item.cancel":
        this.#end(command.itemId);
        return;
      case "item.changeQuantity": {
        const old = this.#end(command.itemId);
        check(command.reply.newItemId !== null && old.quantity !== command.quantity, "a change to another quantity makes a new line");
        this.items.set(command.reply.newItemId, { unit: old.unit, quantity: command.quantity, live: true });
        return;
      }
      case "payment.start": {
        const due = this.sessionTotal - this.paid;
        check(due > 0, `a payment accepted with ${due} due`);
        const applied = Math.min(command.amount, due);
        check(command.reply.approvedWon === applied, `approved ${command.reply.approvedWon}, model ${applied} (amount ${command.amount}, due ${due})`);
        // The terminals never pay more than they see due: less taken means the balance moved
        // under a stale payment, which had to conflict instead (R-CON-2), not be cut to what was left.
        check(applied === command.amount, `a payment of ${command.amount} cut to the ${due} still due`);
        this.payments.set(command.reply.paymentId, applied);
        return;
      }
      case "adjustment.apply": {
        let amount: number;
        if (command.scope === "session") {
          const base = this.sessionTotal;
          amount = -Math.floor((base * command.percent! + 50) / 100);
        } else {
          const item = this.items.get(command.targetId!);
          check(item?.live === true, `discount on ${command.targetId}, which the model has not live`);
          amount = -command.amount!;
        }
        check(command.reply.amountWon === amount, `adjustment ${command.reply.amountWon}, model ${amount}`);
        this.adjustments.set(command.reply.adjustmentId, { scope: command.scope, targetId: command.targetId, amount });
        return;
      }
    }
  }

  /** A line leaves: it must be live (else an update was lost), and its own adjustments lapse with it. */
  #end(itemId: string): ModelItem {
    const item = this.items.get(itemId);
    check(item?.live === true, `${itemId} changed or cancelled while the model has it ${item ? "cancelled" : "unknown"}`);
    item!.live = false;
    for (const [id, a] of this.adjustments) if (a.scope === "item" && a.targetId === itemId) this.adjustments.delete(id);
    return item!;
  }
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`model: ${message}`);
}

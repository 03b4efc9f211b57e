import type { StoreView } from "../../rooms/context.ts";

/** A menu item as a guest's phone sees it: what to order and for how much, nothing of the kitchen. */
export interface GuestMenuItem {
  readonly id: string;
  readonly name: string;
  readonly price: number;
  /** Heading on the order page; null = the page's general one. */
  readonly category: string | null;
  /** The config value; runtime 86 and countdowns are in the table room's `stock`. */
  readonly soldOut: boolean;
  readonly optionGroups: readonly {
    readonly id: string;
    readonly name: string;
    readonly minSelect: number;
    readonly maxSelect: number;
    readonly choices: readonly { readonly id: string; readonly name: string; readonly priceDelta: number }[];
  }[];
}

/** GET /api/qr/menu's data: the store's menu and how its guests pay, without tables, stations or staff. */
export interface GuestMenu {
  readonly storeId: string;
  readonly storeName: string;
  /** config `orders.qrPayment`: "before" = a phone pays its cart to send it, "after" = never, "either" = the guest picks. */
  readonly qrPayment: StoreView["qrPayment"];
  readonly menu: readonly GuestMenuItem[];
}

export function guestMenu(store: StoreView): GuestMenu {
  const menu = [...store.menu.items.values()].map((item) => ({
    id: item.id,
    name: item.name,
    price: item.price,
    category: item.category ?? null,
    soldOut: item.soldOut,
    optionGroups: item.optionGroups.map((g) => ({
      id: g.id,
      name: g.name,
      minSelect: g.minSelect,
      maxSelect: g.maxSelect,
      choices: g.choices.map((c) => ({ id: c.id, name: c.name, priceDelta: c.priceDelta })),
    })),
  }));
  return { storeId: store.id, storeName: store.name, qrPayment: store.qrPayment, menu };
}

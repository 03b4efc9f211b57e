import { useState } from "preact/hooks";
import { won } from "../shared/i18n.ts";
import type { GuestMenuItem } from "./access.ts";
import { availabilityOf, byCategory } from "./availability.ts";
import { OptionPicker, type AddToCart } from "./option-picker.tsx";
import { t } from "./texts.ts";

/** The menu by category with prices; sold-out items are marked in words and cannot be added. */
export function MenuView({ menu, stock, onAdd }: { menu: readonly GuestMenuItem[]; stock: any; onAdd: AddToCart }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div class="menu">
      {byCategory(menu, t("generalCategory")).map(([category, items]) => (
        <section key={category} aria-labelledby={`cat-${category}`}>
          <h2 id={`cat-${category}`}>{category}</h2>
          <ul>
            {items.map((item) => {
              const { soldOut, remaining } = availabilityOf(item, stock);
              return (
                <li key={item.id} class={soldOut ? "item sold-out" : "item"} data-menu-id={item.id} data-sold-out={soldOut ? "true" : "false"}>
                  <div class="item-head">
                    <span class="name">{item.name}</span>
                    <span class="price">{won(item.price)}</span>
                  </div>
                  <div class="item-foot">
                    {soldOut ? <span class="sold-out-mark">{t("soldOut")}</span> : remaining !== null && <span class="remaining">{t("remaining", { n: remaining })}</span>}
                    <button type="button" aria-label={t(soldOut ? "soldOutNamed" : "addNamed", { name: item.name })} aria-expanded={item.optionGroups.length > 0 ? open === item.id : undefined}
                      disabled={soldOut} onClick={() => (item.optionGroups.length > 0 ? setOpen(open === item.id ? null : item.id) : void onAdd(item, [], 1))}>
                      {soldOut ? t("soldOut") : t("add")}
                    </button>
                  </div>
                  {open === item.id && !soldOut && <OptionPicker item={item} onAdd={onAdd} onClose={() => setOpen(null)} />}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}

import { useState } from "preact/hooks";
import { won } from "../shared/i18n.ts";
import { OptionDialog } from "./option-dialog.tsx";
import { categoriesOf, type MenuItem, type StoreMenu } from "./store-menu.ts";
import { t } from "./texts.ts";

export interface NewLine {
  readonly menuId: string;
  readonly quantity: number;
  readonly optionIds: readonly string[];
  readonly note: string;
}

/** Config sold out, or 86'd / counted down to nothing at run time (state.stock). */
function availability(item: MenuItem, stock: any): { soldOut: boolean; remaining: number } {
  const entry = stock?.get(item.id);
  const remaining = entry ? Number(entry.remaining) : -1;
  return { soldOut: item.soldOut || Boolean(entry?.soldOut) || remaining === 0, remaining };
}

/** The menu as big touch buttons by heading; an item with options asks for them first. */
export function MenuPanel({ menu, stock, disabled, onAdd }: { menu: StoreMenu; stock: any; rev: number; disabled: boolean; onAdd: (line: NewLine) => void }) {
  const categories = categoriesOf(menu);
  const [category, setCategory] = useState<string>("");
  const [choosing, setChoosing] = useState<MenuItem | null>(null);
  const items = category === "" ? menu.menu : menu.menu.filter((m) => m.category === category);
  return (
    <section class="menu-panel" aria-labelledby="menu-heading">
      <h2 id="menu-heading" class="visually-hidden">{t("menu")}</h2>
      {categories.length > 0 && (
        <div class="categories" role="group" aria-label={t("menu")}>
          {["", ...categories].map((c) => (
            <button key={c} type="button" class={c === category ? "chip on" : "chip"} aria-pressed={c === category} onClick={() => setCategory(c)}>{c === "" ? t("allCategories") : c}</button>
          ))}
        </div>
      )}
      <div class="menu-grid">
        {items.map((item) => {
          const { soldOut, remaining } = availability(item, stock);
          return (
            <button key={item.id} type="button" class="menu-button" data-menu-id={item.id} disabled={disabled || soldOut}
              onClick={() => (item.optionGroups.length > 0 ? setChoosing(item) : onAdd({ menuId: item.id, quantity: 1, optionIds: [], note: "" }))}>
              <span class="menu-name">{item.name}</span>
              <span class="menu-price">{won(item.price)}</span>
              {soldOut ? <span class="menu-flag sold-out">{t("soldOut")}</span> : remaining >= 0 && <span class="menu-flag">{t("remaining", { n: remaining })}</span>}
            </button>
          );
        })}
      </div>
      {choosing && <OptionDialog item={choosing} onCancel={() => setChoosing(null)} onAdd={(line) => { setChoosing(null); onAdd(line); }} />}
    </section>
  );
}

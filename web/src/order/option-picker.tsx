import { useState } from "preact/hooks";
import { won } from "../shared/i18n.ts";
import type { GuestMenuItem, GuestOptionGroup } from "./access.ts";
import { t } from "./texts.ts";

export type AddToCart = (item: GuestMenuItem, optionIds: string[], quantity: number) => Promise<boolean>;

function groupHint(group: GuestOptionGroup): string {
  if (group.minSelect === group.maxSelect) return t("pickExactly", { n: group.minSelect });
  if (group.minSelect === 0) return t("pickUpTo", { max: group.maxSelect });
  return t("pickRange", { min: group.minSelect, max: group.maxSelect });
}

/** Options (each group's min..max, as the server checks them) and a quantity, then "담기". */
export function OptionPicker({ item, onAdd, onClose }: { item: GuestMenuItem; onAdd: AddToCart; onClose: () => void }) {
  const [chosen, setChosen] = useState<readonly string[]>([]);
  const [quantity, setQuantity] = useState(1);
  const [busy, setBusy] = useState(false);
  const countIn = (group: GuestOptionGroup) => group.choices.filter((c) => chosen.includes(c.id)).length;
  const complete = item.optionGroups.every((g) => countIn(g) >= g.minSelect && countIn(g) <= g.maxSelect);
  const unit = item.price + item.optionGroups.flatMap((g) => g.choices).filter((c) => chosen.includes(c.id)).reduce((sum, c) => sum + c.priceDelta, 0);

  function toggle(group: GuestOptionGroup, id: string) {
    const others = chosen.filter((c) => !group.choices.some((g) => g.id === c));
    const mine = chosen.filter((c) => group.choices.some((g) => g.id === c));
    if (group.maxSelect === 1) return setChosen([...others, id]);
    setChosen(mine.includes(id) ? chosen.filter((c) => c !== id) : mine.length < group.maxSelect ? [...chosen, id] : chosen);
  }

  async function add() {
    setBusy(true);
    const ok = await onAdd(item, [...chosen], quantity);
    setBusy(false);
    if (ok) onClose();
  }

  return (
    <div class="picker" role="group" aria-label={`${item.name} ${t("chooseOptions")}`}>
      {item.optionGroups.map((group) => (
        <fieldset key={group.id}>
          <legend>{group.name} <span class="hint">({groupHint(group)})</span></legend>
          {group.choices.map((choice) => {
            const on = chosen.includes(choice.id);
            const full = !on && group.maxSelect > 1 && countIn(group) >= group.maxSelect;
            return (
              <label key={choice.id} class="choice">
                <input type={group.maxSelect === 1 ? "radio" : "checkbox"} name={`${item.id}-${group.id}`} value={choice.id} checked={on} disabled={full} onChange={() => toggle(group, choice.id)} />
                {choice.name}{choice.priceDelta !== 0 && <span class="delta"> +{won(choice.priceDelta)}</span>}
              </label>
            );
          })}
        </fieldset>
      ))}
      <div class="stepper" role="group" aria-label={t("quantity")}>
        <button type="button" aria-label={t("less")} disabled={quantity <= 1} onClick={() => setQuantity(quantity - 1)}>−</button>
        <output aria-live="polite">{quantity}</output>
        <button type="button" aria-label={t("more")} disabled={quantity >= 99} onClick={() => setQuantity(quantity + 1)}>+</button>
      </div>
      <div class="actions">
        <button type="button" onClick={onClose}>{t("cancel")}</button>
        <button type="button" class="primary" data-testid="picker-add" disabled={!complete || busy} onClick={add}>{t("addWithPrice", { price: won(unit * quantity) })}</button>
      </div>
    </div>
  );
}

import { useState } from "preact/hooks";
import { won } from "../shared/i18n.ts";
import type { NewLine } from "./menu-panel.tsx";
import type { MenuItem, OptionGroup } from "./store-menu.ts";
import { Dialog } from "./dialog.tsx";
import { t } from "./texts.ts";

function groupValid(group: OptionGroup, chosen: ReadonlySet<string>): boolean {
  const n = group.choices.filter((c) => chosen.has(c.id)).length;
  return n >= group.minSelect && n <= group.maxSelect;
}

/** Options of one menu item: a group of one is a radio row, others are toggles up to their max. */
export function OptionDialog({ item, onAdd, onCancel }: { item: MenuItem; onAdd: (line: NewLine) => void; onCancel: () => void }) {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [quantity, setQuantity] = useState(1);
  const [note, setNote] = useState("");
  const toggle = (group: OptionGroup, id: string) => {
    const next = new Set(chosen);
    if (group.maxSelect === 1) for (const c of group.choices) next.delete(c.id);
    if (chosen.has(id)) next.delete(id);
    else if (group.maxSelect === 1 || group.choices.filter((c) => next.has(c.id)).length < group.maxSelect) next.add(id);
    setChosen(next);
  };
  const valid = item.optionGroups.every((g) => groupValid(g, chosen));
  const unit = item.price + item.optionGroups.flatMap((g) => g.choices).filter((c) => chosen.has(c.id)).reduce((s, c) => s + c.priceDelta, 0);
  const optionIds = item.optionGroups.flatMap((g) => g.choices.map((c) => c.id)).filter((id) => chosen.has(id));
  return (
    <Dialog title={t("chooseOptions", { name: item.name })} onClose={onCancel}>
      {item.optionGroups.map((group) => (
        <fieldset key={group.id} class="option-group">
          <legend>{group.name} <small>{group.maxSelect === 1 && group.minSelect === 1 ? t("pickOne") : t("pickRange", { min: group.minSelect, max: group.maxSelect })}</small></legend>
          {group.choices.map((choice) => (
            <button key={choice.id} type="button" class={chosen.has(choice.id) ? "chip on" : "chip"} aria-pressed={chosen.has(choice.id)} data-option-id={choice.id} onClick={() => toggle(group, choice.id)}>
              {choice.name}{choice.priceDelta ? ` +${won(choice.priceDelta)}` : ""}
            </button>
          ))}
        </fieldset>
      ))}
      <div class="row">
        <span>{t("quantity")}</span>
        <button type="button" aria-label={t("less")} onClick={() => setQuantity((q) => Math.max(1, q - 1))}>−</button>
        <output aria-live="polite">{quantity}</output>
        <button type="button" aria-label={t("more")} onClick={() => setQuantity((q) => Math.min(99, q + 1))}>+</button>
      </div>
      <label class="field">{t("note")}<input value={note} maxLength={140} onInput={(e) => setNote(e.currentTarget.value)} /></label>
      <div class="dialog-actions">
        <button type="button" onClick={onCancel}>{t("cancel")}</button>
        <button type="button" class="primary" data-action="add-with-options" disabled={!valid} onClick={() => onAdd({ menuId: item.id, quantity, optionIds, note: note.trim() })}>
          {t("add")} · {won(unit * quantity)}
        </button>
      </div>
    </Dialog>
  );
}

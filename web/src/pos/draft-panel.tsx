import { won } from "../shared/i18n.ts";
import { t } from "./texts.ts";

/** A line not sent yet: the room's shared draft (online) or this device's offline order. */
export interface DraftView {
  readonly lineId: string;
  readonly name: string;
  readonly quantity: number;
  readonly optionNames: readonly string[];
  readonly note: string;
  readonly lineTotalWon: number;
}

/**
 * Option names of the lines this page added. The server's draft lines reach staff terminals with
 * empty `optionIds`/`optionNames` arrays (a Colyseus StateView quirk, reported in docs/FRONTEND.md),
 * so the page remembers what it chose; lines added by another terminal show without them.
 */
export const addedOptionNames = new Map<string, readonly string[]>();

export function draftLinesOf(state: any): DraftView[] {
  if (!state) return [];
  return [...state.draft.values()].map((l: any) => {
    const names: string[] = [...l.optionNames];
    return { lineId: l.lineId, name: l.name, quantity: Number(l.quantity), optionNames: names.length > 0 ? names : addedOptionNames.get(l.lineId) ?? [], note: l.note, lineTotalWon: Number(l.lineTotalWon) };
  });
}

export const unitCount = (lines: readonly DraftView[]): number => lines.reduce((sum, l) => sum + l.quantity, 0);

/**
 * R-UI-1: the draft shown *as draft*: the 임시 badge, a draft background, and a banner with the
 * count of unsent items (Odoo's counter, SCREENS.md §2.2). Send confirms exactly the draft seen.
 */
export function DraftPanel({ lines, offline, busy, onQuantity, onRemove, onSend }: {
  lines: readonly DraftView[]; offline: boolean; busy: boolean;
  onQuantity: (line: DraftView, quantity: number) => void; onRemove: (line: DraftView) => void; onSend: () => void;
}) {
  if (lines.length === 0) return null;
  const count = unitCount(lines);
  const total = lines.reduce((sum, l) => sum + l.lineTotalWon, 0);
  // The shared draft and an offline one can show at once: each banner needs an id of its own.
  const bannerId = offline ? "offline-draft-banner" : "draft-banner";
  return (
    <section class="draft" aria-labelledby={bannerId} data-draft-count={count}>
      <p id={bannerId} class="banner draft" role="status" data-draft-banner>
        <span class="badge draft-badge">{t("draft")}</span> {offline ? t("offlineDraft", { n: count }) : t("draftBanner", { n: count })}
      </p>
      <ul class="draft-lines">
        {lines.map((line) => (
          <li key={line.lineId} class="draft-line" data-line-id={line.lineId}>
            <span class="badge draft-badge">{t("draft")}</span>
            <span class="line-main">
              <span class="line-name">{line.name}</span>
              {(line.optionNames.length > 0 || line.note) && <small>{[...line.optionNames, line.note].filter(Boolean).join(" · ")}</small>}
            </span>
            <span class="stepper">
              <button type="button" aria-label={`${line.name} ${t("less")}`} disabled={busy || line.quantity <= 1} onClick={() => onQuantity(line, line.quantity - 1)}>−</button>
              <output>{line.quantity}</output>
              <button type="button" aria-label={`${line.name} ${t("more")}`} disabled={busy || line.quantity >= 99} onClick={() => onQuantity(line, line.quantity + 1)}>+</button>
            </span>
            <span class="line-total">{won(line.lineTotalWon)}</span>
            <button type="button" class="danger" disabled={busy} aria-label={`${line.name} ${t("removeLine")}`} onClick={() => onRemove(line)}>×</button>
          </li>
        ))}
      </ul>
      <div class="draft-foot">
        <span>{t("total")} {won(total)}</span>
        <button type="button" class="primary send" data-action="send" disabled={busy} onClick={onSend}>{offline ? t("queueSend", { n: count }) : t("send", { n: count })}</button>
      </div>
    </section>
  );
}

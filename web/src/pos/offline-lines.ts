import type { DraftView } from "./draft-panel.tsx";
import type { NewLine } from "./menu-panel.tsx";
import type { StoreMenu } from "./store-menu.ts";

/** A line taken while offline: kept on the page until queued as a confirm with explicit lines (R-OFF-2). */
export interface OfflineLine extends DraftView {
  readonly menuId: string;
  readonly optionIds: readonly string[];
}

/** Priced from the menu for the screen only; the server prices it again at replay. */
export function offlineLine(menu: StoreMenu, line: NewLine, lineId: string): OfflineLine {
  const item = menu.menu.find((m) => m.id === line.menuId);
  const choices = (item?.optionGroups ?? []).flatMap((g) => g.choices).filter((c) => line.optionIds.includes(c.id));
  const unit = (item?.price ?? 0) + choices.reduce((sum, c) => sum + c.priceDelta, 0);
  return { lineId, menuId: line.menuId, name: item?.name ?? line.menuId, quantity: line.quantity, optionIds: [...line.optionIds], optionNames: choices.map((c) => c.name), note: line.note, lineTotalWon: unit * line.quantity };
}

export function withQuantity(line: OfflineLine, quantity: number): OfflineLine {
  return { ...line, quantity, lineTotalWon: (line.lineTotalWon / line.quantity) * quantity };
}

/** What the queued confirm carries. */
export function confirmLines(lines: readonly OfflineLine[]) {
  return lines.map((l) => ({ menuId: l.menuId, quantity: l.quantity, ...(l.optionIds.length ? { optionIds: [...l.optionIds] } : {}), ...(l.note ? { note: l.note } : {}) }));
}

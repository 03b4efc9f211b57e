import { signal } from "@preact/signals";

/**
 * Which screen the POS shows: the floor, or one table. Kept in the address (#table=T3), so a
 * reload reopens the same table (SCREENS.md §5: a refresh must not lose the place).
 */
function fromHash(): string | null {
  const match = /^#table=([^&]+)$/.exec(location.hash);
  return match ? decodeURIComponent(match[1]!) : null;
}

export const openTableId = signal<string | null>(typeof location === "undefined" ? null : fromHash());

export function showTable(tableId: string): void {
  openTableId.value = tableId;
  history.pushState(null, "", `#table=${encodeURIComponent(tableId)}`);
}

export function showFloor(): void {
  openTableId.value = null;
  history.pushState(null, "", location.pathname + location.search);
}

if (typeof window !== "undefined") window.addEventListener("popstate", () => (openTableId.value = fromHash()));

import type { Won } from "./money.ts";

/** A kitchen station (주방, 바 …): tickets are split per station. */
export interface Station {
  readonly id: string;
  readonly name: string;
}

export interface OptionChoice {
  readonly id: string;
  readonly name: string;
  readonly priceDelta: Won;
}

/** A group of choices with a selection range, e.g. 맵기 (exactly one) or 추가 (0..3). */
export interface OptionGroup {
  readonly id: string;
  readonly name: string;
  readonly minSelect: number;
  readonly maxSelect: number;
  readonly choices: readonly OptionChoice[];
}

export interface MenuItem {
  readonly id: string;
  readonly name: string;
  readonly price: Won;
  readonly stationId: string;
  readonly soldOut: boolean;
  readonly optionGroups: readonly OptionGroup[];
  /** Menu heading for guests (QR order page); absent = the general heading. */
  readonly category?: string;
}

export interface Menu {
  readonly items: ReadonlyMap<string, MenuItem>;
  readonly stations: ReadonlyMap<string, Station>;
}

export function buildMenu(items: readonly MenuItem[], stations: readonly Station[]): Menu {
  return {
    items: new Map(items.map((i) => [i.id, i])),
    stations: new Map(stations.map((s) => [s.id, s])),
  };
}

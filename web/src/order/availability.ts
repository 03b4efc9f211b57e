import type { GuestMenuItem } from "./access.ts";

export interface Availability {
  readonly soldOut: boolean;
  /** Portions left when the kitchen counts them down; null = not counted. */
  readonly remaining: number | null;
}

/** Config `soldOut`, or the room's runtime stock (86 / countdown, docs/PROTOCOL.md §3 `Stock`). */
export function availabilityOf(item: GuestMenuItem, stock: { get(id: string): { soldOut: boolean; remaining: number } | undefined } | undefined): Availability {
  const runtime = stock?.get(item.id);
  const remaining = runtime && runtime.remaining >= 0 ? runtime.remaining : null;
  return { soldOut: item.soldOut || runtime?.soldOut === true || remaining === 0, remaining };
}

/** Categories in order of first appearance; items without one under `general`. */
export function byCategory(menu: readonly GuestMenuItem[], general: string): [string, GuestMenuItem[]][] {
  const groups = new Map<string, GuestMenuItem[]>();
  for (const item of menu) {
    const key = item.category ?? general;
    const list = groups.get(key) ?? [];
    list.push(item);
    groups.set(key, list);
  }
  return [...groups];
}

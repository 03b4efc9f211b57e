import type { Client } from "@colyseus/core";
import type { Principal } from "../context.ts";
import type { TableState } from "../table-state.ts";

/**
 * Works around @colyseus/schema 5.0.34: a line added to a `.view()` map that a StateView
 * subscribed to reaches that view without the contents of the line's own arrays (its option ids
 * and names arrived empty until the terminal rejoined; checked here with real SDK clients).
 * Adding those arrays to each view that may see the line sends them with the next patch.
 */
export function revealLineArrays(clients: Iterable<Client<{ auth: Principal }>>, state: TableState): void {
  for (const client of clients) {
    const view = client.view;
    if (!view) continue;
    if (client.auth?.role === "customer") {
      const own = state.carts.get(client.auth.staffId);
      for (const line of own?.lines.values() ?? []) view.add(line.optionIds), view.add(line.optionNames);
      continue;
    }
    for (const line of state.draft.values()) view.add(line.optionIds), view.add(line.optionNames);
    for (const cart of state.carts.values()) for (const line of cart.lines.values()) view.add(line.optionIds), view.add(line.optionNames);
  }
}

import { joinKitchen, type KitchenConnection } from "../../clients/kitchen-client.ts";
import { PosClient } from "../../clients/pos-client.ts";
import type { ServerProcess } from "./server-process.ts";

export async function kds(server: ServerProcess, stationId: string): Promise<KitchenConnection> {
  return joinKitchen(await PosClient.login(server.endpoint, "demo", "k1", "5555"), stationId);
}

/** Open tickets on a KDS whose items include this item id. */
export function ticketsWith(kitchen: KitchenConnection, itemId: string): any[] {
  return [...kitchen.state.tickets.values()].filter((t: any) => [...t.items].some((i: any) => i.itemId === itemId));
}

import { PosClient, type TableConnection } from "../../clients/pos-client.ts";
import type { ServerProcess } from "./server-process.ts";

export async function staff(server: ServerProcess, staffId = "s1", pin = "1111", storeId = "demo"): Promise<PosClient> {
  return PosClient.login(server.endpoint, storeId, staffId, pin);
}

/** Joins a table and opens its session if none is open. */
export async function openTable(pos: PosClient, tableId: string): Promise<TableConnection> {
  const table = await pos.joinTable(tableId);
  if (table.state.status === "none" || table.state.status === "closed") {
    const reply = await table.command("session.open", { guests: 2 });
    if (!reply.ok) throw new Error(`open failed: ${JSON.stringify(reply)}`);
  }
  return table;
}

export const kimchi = { menuId: "kimchi-jjigae", quantity: 2, optionIds: ["hot"] };
export const beer = { menuId: "beer", quantity: 1, optionIds: ["500"] };

import { SignJWT } from "jose";
import { Client, type Room } from "@colyseus/sdk";
import { TableConnection } from "../../clients/pos-client.ts";
import type { ServerProcess } from "./server-process.ts";

/** A customer token as the QR exchange makes it: bound to the store, the table and its live session. */
export function customerToken(customerId: string, tableId: string, sessionId: string, storeId = "demo"): Promise<string> {
  return new SignJWT({ store: storeId, role: "customer", name: "손님", table: tableId, session: sessionId })
    .setProtectedHeader({ alg: "HS256" }).setSubject(customerId).setIssuer("table-session-server").setIssuedAt().setExpirationTime("1h")
    .sign(new TextEncoder().encode("test-secret-test-secret-test-secret!"));
}

/** A phone (customer role) in its table's room, once its first state arrived. */
export async function phone(server: ServerProcess, customerId: string, tableId: string, sessionId: string): Promise<TableConnection> {
  const sdk = new Client(server.endpoint);
  sdk.http.authToken = await customerToken(customerId, tableId, sessionId);
  const room: Room = await sdk.joinOrCreate("table", { storeId: "demo", tableId });
  await new Promise<void>((resolve) => room.onStateChange.once(() => resolve()));
  return new TableConnection(room);
}

import { createHash } from "node:crypto";
import { demoRawConfig } from "../../server/config/index.ts";
import { countRows, query, type RowCounts, type ServerProcess } from "../support/server-process.ts";

/** The demo store's ordering app and a second store's app; the config holds only their SHA-256. */
export const demoAppKey = "demo-app-key-7f3c9a1e5b2d4f60";
export const gangnamAppKey = "gangnam-app-key-0a9b8c7d6e5f4a3b";

export const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** demoRawConfig, a second store (gangnam) with the same menu, and one integration per store. */
export function appConfig() {
  const demo = structuredClone(demoRawConfig.stores[0]!);
  return {
    ...structuredClone(demoRawConfig),
    stores: [demo, { ...structuredClone(demo), id: "gangnam", name: "강남점" }],
    integrations: [
      { id: "baemin", storeId: "demo", name: "배달앱", apiKeySha256: sha256(demoAppKey), tableMap: { "A-5": "T5", "A-6": "T6" } },
      { id: "gangnam-app", storeId: "gangnam", name: "강남 주문앱", apiKeySha256: sha256(gangnamAppKey) },
    ],
  };
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: any;
  readonly headers: Headers;
}

/** POST /api/orders/external with `Authorization: Bearer <key>` (no header when key is null). */
export async function order(server: ServerProcess, body: unknown, key: string | null = demoAppKey): Promise<HttpAnswer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const response = await fetch(`${server.endpoint}/api/orders/external`, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** "201" / "409 NO_SESSION": status and code in one string, so a failing assert shows both. */
export function outcome(answer: HttpAnswer): string {
  return answer.body?.ok ? String(answer.status) : `${answer.status} ${answer.body?.error?.code}`;
}

/** Every table the tests look at, payments included. */
export function rowsOf(server: ServerProcess): RowCounts & { payments: number } {
  const payments = query<{ n: number }>(server.databaseFile, "select count(*) as n from payments")[0]!.n;
  return { ...countRows(server.databaseFile), payments };
}

export const kimchiLine = { menuId: "kimchi-jjigae", quantity: 2, optionIds: ["hot"] };
export const beerLine = { menuId: "beer", quantity: 1, optionIds: ["500"] };
/** kimchi ×2 (9,000) + beer (5,000). */
export const kimchiAndBeerWon = 23_000;

import { Callbacks } from "@colyseus/sdk";
import { joinKitchen, type KitchenConnection } from "../clients/kitchen-client.ts";
import { PosClient, TableConnection } from "../clients/pos-client.ts";
import { demoRawConfig } from "../server/config/index.ts";
import { customerToken } from "../test/support/phone.ts";
import { Client } from "@colyseus/sdk";
import { RushPrinter } from "./rush-printer.ts";
import { extraStations, rushLimits, rushStaff, storeId, type RushSettings } from "./rush-settings.ts";

/** The emulated printers of all stores of a step, made before the server (its config points at them). */
export async function startPrinters(settings: RushSettings, stores: number, random: () => number): Promise<RushPrinter[][]> {
  const printMs = () => settings.printMsMin + random() * (settings.printMsMax - settings.printMsMin);
  const all: RushPrinter[][] = [];
  for (let s = 0; s < stores; s++) {
    const mine: RushPrinter[] = [];
    for (let p = 0; p < settings.store.printers; p++) mine.push(new RushPrinter(`p${p + 1}`, printMs));
    all.push(mine);
  }
  return all;
}

/**
 * N clones of the demo store, each with its own tables and printers: p1 kitchen, p2 bar, p3 grill
 * (a station of its own, and the kitchen's backup), p4 dessert (and the bar's backup).
 * `ports[s][p]` is where store s's printer p listens.
 */
export function rushConfig(settings: RushSettings, ports: readonly (readonly number[])[]): unknown {
  const demo = demoRawConfig.stores[0]!;
  const extras = extraStations.slice(0, settings.store.printers - 2);
  const stores = ports.map((printerPorts, s) => {
    const printer = (p: number, name: string, stationId: string, backupPrinterId?: string) => ({
      id: `p${p + 1}`, name, host: "127.0.0.1", port: printerPorts[p]!, stationIds: [stationId], ...(backupPrinterId ? { backupPrinterId, failoverAfterFailures: 2 } : {}),
    });
    const printers = [printer(0, "주방 프린터", "kitchen", extras.length >= 1 ? "p3" : undefined), printer(1, "바 프린터", "bar", extras.length >= 2 ? "p4" : undefined)];
    extras.forEach((extra, i) => printers.push(printer(2 + i, `${extra.station.name} 프린터`, extra.station.id)));
    const copy = structuredClone(demo);
    return {
      ...copy,
      id: storeId(s),
      name: `러시 ${s + 1}호점`,
      tables: Array.from({ length: settings.store.tables }, (_, i) => ({ id: `T${i + 1}`, name: `${i + 1}번` })),
      stations: [...copy.stations, ...extras.map((e) => ({ ...e.station }))],
      menu: [...copy.menu, ...extras.map((e) => ({ ...e.item }))],
      printers,
    };
  });
  return { ...structuredClone(demoRawConfig), stores };
}

/** A table of a store: the POS terminal's room (session open), and its phones if it is a QR table. */
export interface RushTable {
  readonly storeIndex: number;
  readonly tableId: string;
  readonly pos: TableConnection;
  readonly phones: RushPhone[];
  /** Times (performance.now()) of this table's QR confirms, for the room's per-minute limit. */
  readonly qrConfirmTimes: number[];
  /** A phone order's cart.add … cart.confirm is under way (the table's guests share one cart). */
  phoneOrderUnderWay: boolean;
}

export interface RushPhone {
  readonly table: TableConnection;
  readonly confirmTimes: number[];
}

/**
 * A store's clients: `posTerminals` logins as the admin, each serving every posTerminals-th table
 * (one room per table, as a terminal that keeps its tables open); phones on the first qrTables
 * tables with customer tokens for the table's live session; KDS screens on station "all".
 */
export async function openStoreClients(endpoint: string, settings: RushSettings, storeIndex: number, errors: (code: string) => void): Promise<{ tables: RushTable[]; terminals: PosClient[] }> {
  const id = storeId(storeIndex);
  const terminals = await Promise.all(Array.from({ length: settings.store.posTerminals }, () => PosClient.login(endpoint, id, rushStaff.admin.id, rushStaff.admin.pin)));
  const tableIds = Array.from({ length: settings.store.tables }, (_, i) => `T${i + 1}`);
  const tables: RushTable[] = [];
  await runLimited(tableIds.map((tableId, i) => ({ tableId, i })), rushLimits.joinConcurrency, async ({ tableId, i }) => {
    const pos = await terminals[i % terminals.length]!.joinTable(tableId, id, rushLimits.joinTimeoutMs);
    const opened = await pos.command("session.open", { guests: 2 }, undefined, rushLimits.commandTimeoutMs);
    if (!opened.ok) throw new Error(`session.open ${id}/${tableId}: ${opened.error.code} ${opened.error.message}`);
    const phones: RushPhone[] = [];
    if (i < settings.store.qrTables) {
      for (let p = 0; p < settings.store.phonesPerQrTable; p++) {
        try {
          phones.push({ table: await joinPhone(endpoint, id, tableId, String(opened.data.sessionId), `rush-${id}-${tableId}-${p}`), confirmTimes: [] });
        } catch (error) {
          errors(`PHONE_JOIN: ${describe(error)}`);
        }
      }
    }
    tables[i] = { storeIndex, tableId, pos, phones, qrConfirmTimes: [], phoneOrderUnderWay: false };
  });
  return { tables, terminals };
}

/** A phone with a customer token as the QR exchange makes it (minted with the test AUTH_SECRET the child server runs with). */
async function joinPhone(endpoint: string, store: string, tableId: string, sessionId: string, customerId: string): Promise<TableConnection> {
  const sdk = new Client(endpoint);
  sdk.http.authToken = await customerToken(customerId, tableId, sessionId, store);
  const room = await sdk.joinOrCreate("table", { storeId: store, tableId });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no state from the room")), rushLimits.joinTimeoutMs);
    room.onStateChange.once(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  return new TableConnection(room);
}

/**
 * A kitchen display: the time (performance.now()) each ticket id first appeared in its state. A
 * display the server closes joins again at once (as a kitchen screen would); drops are counted.
 */
export class RushDisplay {
  readonly seen = new Map<string, number>();
  drops = 0;
  #connection: KitchenConnection | undefined;
  #stopping = false;

  constructor(private readonly user: PosClient) {}

  async join(): Promise<void> {
    const connection = await joinKitchen(this.user, "all", rushLimits.joinTimeoutMs);
    this.#connection = connection;
    connection.room.reconnection.enabled = false;
    connection.startHeartbeat();
    Callbacks.get(connection.room).onAdd("tickets", (_ticket: unknown, key: unknown) => {
      const id = String(key);
      if (!this.seen.has(id) && this.seen.size < rushLimits.samplesMax) this.seen.set(id, performance.now());
    });
    connection.room.onLeave(() => {
      connection.stopHeartbeat();
      if (this.#stopping) return;
      this.drops += 1;
      if (this.drops <= rushLimits.kdsRejoinsMax) void this.join().catch(() => undefined);
    });
  }

  async leave(): Promise<void> {
    this.#stopping = true;
    const connection = this.#connection;
    if (connection?.room.connection?.isOpen) await Promise.race([connection.leave(), new Promise((r) => setTimeout(r, rushLimits.commandTimeoutMs))]);
  }
}

export async function openDisplays(endpoint: string, settings: RushSettings, storeIndex: number): Promise<RushDisplay[]> {
  const user = await PosClient.login(endpoint, storeId(storeIndex), rushStaff.kitchen.id, rushStaff.kitchen.pin);
  const displays = Array.from({ length: settings.store.kitchenDisplays }, () => new RushDisplay(user));
  for (const d of displays) await d.join();
  return displays;
}

export async function runLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

export function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 120);
}

import { defineRoom, defineServer, type Server } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { RedisPresence } from "@colyseus/redis-presence";
import { RedisDriver } from "@colyseus/redis-driver";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { CommitWriter, ThreadedWriter, type Writer, createKitchenReader, createOutboxStore, createPrintStore, createSessionReader, createStockReader, openStorage, type Storage } from "../storage/index.ts";
import { PrinterEmulator, sanitizeForPrinter } from "../printers/index.ts";
import { AdminRoom } from "../rooms/admin/admin-room.ts";
import { PrintService, resolvePrinters } from "./printing/print-service.ts";
import type { RoomContext } from "../rooms/context.ts";
import { roomLimits } from "../rooms/limits.ts";
import { TableRoom } from "../rooms/table/table-room.ts";
import { SessionRegistry } from "../rooms/table/session-registry.ts";
import { StockBook } from "../rooms/stock.ts";
import { KitchenBoard } from "../rooms/kitchen/board.ts";
import { KitchenStatus } from "../rooms/kitchen/kitchen-status.ts";
import { KitchenRoom } from "../rooms/kitchen/kitchen-room.ts";
import type { AppConfig } from "./config/index.ts";
import { TokenService, loadAuthSecret } from "./auth.ts";
import { newId, type Clock } from "./clock.ts";
import { installRoutes } from "./http-routes.ts";
import type { Logger } from "./logger.ts";
import { OutboxRelay, type OutboxSubscriber } from "./outbox-relay.ts";
import { storeViews } from "./stores.ts";
import { Lease } from "./lease.ts";
import { hostname } from "node:os";

export interface AppOptions {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly config: AppConfig;
  readonly clock: Clock;
  readonly log: Logger;
  readonly authSecret?: string | undefined;
  readonly tokenTtlSeconds: number;
  /** Set to run several processes: presence and room listings move to Redis. */
  readonly redisUrl?: string | undefined;
  readonly publicAddress?: string | undefined;
  readonly subscribers?: readonly OutboxSubscriber[];
  /** Keep the storage writer on the main thread (debugging, profiling). */
  readonly inlineWriter?: boolean;
  /** Port of the built-in printer emulator (used by stores that configure no printer); 0 = any free port. */
  readonly emulatorPort?: number;
}

export interface RunningApp {
  readonly server: Server;
  readonly ctx: RoomContext;
  readonly relay: OutboxRelay;
  readonly databaseFile: string;
  readonly tokens: TokenService;
  readonly printing: PrintService;
  /** Running when some store has no printer configured: its slips print here. */
  readonly emulator: PrinterEmulator | undefined;
  stop(): Promise<void>;
}

/** Wires storage, relay, auth, rooms and HTTP into one listening server. */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const databaseFile = join(dataDir, "table-session.sqlite");
  const storage: Storage = await openStorage(databaseFile);
  // The writer runs on its own thread by default; STORAGE_WRITER=inline keeps it on this one.
  const writer: Writer = options.inlineWriter ? new CommitWriter(storage) : await ThreadedWriter.start(databaseFile);
  const relay = new OutboxRelay(createOutboxStore(storage), options.clock, options.log, (subscriber, lastId, at) =>
    writer.submitSystem([{ kind: "cursor", subscriber, lastId, at }]));
  writer.onCommitted(() => relay.wake());
  for (const subscriber of options.subscribers ?? []) relay.add(subscriber);
  const tokens = new TokenService(loadAuthSecret(dataDir, options.authSecret), options.tokenTtlSeconds);
  const stores = storeViews(options.config);
  warnUnprintable(options.config, options.log);
  // The kitchen board is rebuilt from SQLite, then follows the outbox from exactly that point.
  const board = new KitchenBoard(createKitchenReader(storage));
  board.load();
  relay.add({ name: "kitchen-board", startAfterId: board.outboxHead, deliver: (row) => board.apply(row) });
  const kitchenReader = createKitchenReader(storage);
  const prints = createPrintStore(storage);
  const needsEmulator = options.config.stores.some((st) => st.printers.length === 0);
  const emulator = needsEmulator ? new PrinterEmulator({ host: "127.0.0.1", port: options.emulatorPort ?? 0 }) : undefined;
  const emulatorPort = emulator ? await emulator.start() : undefined;
  const printing = new PrintService({
    config: options.config,
    printers: resolvePrinters(options.config, emulatorPort !== undefined ? { host: "127.0.0.1", port: emulatorPort } : undefined),
    prints,
    writer,
    kitchen: kitchenReader,
    clock: options.clock,
    log: options.log,
    newId,
  });
  printing.onNotice((notice) => {
    if (notice.ticketId && (notice.kind === "printed" || notice.kind === "print_failed")) board.setPrintStatus(notice.ticketId, notice.kind === "printed" ? "printed" : "failed");
  });
  writer.setSlipRouter((storeId, stationId) => printing.routeFor(storeId, stationId)?.id);
  // One process drives the printers. The holder id is host:port, so a restarted process takes its
  // own lease back at once. Interrupted attempts are settled (marked REPRINT) before any actor runs.
  const printingLease = new Lease("printing", `${hostname()}:${options.port}`, writer, storage, options.clock, options.log);
  await printingLease.start(async () => {
    await printing.start();
    relay.add(printing.subscriber());
  });
  const kitchenStatus = new KitchenStatus(options.clock, (storeId) => stores.get(storeId)?.stationIds ?? []);
  const ctx: RoomContext = {
    stores,
    storage,
    writer,
    reader: createSessionReader(storage),
    stock: new StockBook(createStockReader(storage)),
    sessions: new SessionRegistry(() => ctx),
    board,
    kitchenStatus,
    kitchen: options.config.kitchen,
    prints,
    printing,
    clock: options.clock,
    log: options.log,
    newId,
    verifyToken: (token) => tokens.verify(token, options.clock.nowMs()),
  };
  const startedAtMs = options.clock.nowMs();
  const server = defineServer({
    transport: new WebSocketTransport({ maxPayload: roomLimits.transportPayloadBytesMax }),
    rooms: {
      table: defineRoom(TableRoom.withContext(ctx)).filterBy(["storeId", "tableId"]),
      kitchen: defineRoom(KitchenRoom.withContext(ctx)).filterBy(["storeId", "stationId"]),
      admin: defineRoom(AdminRoom.withContext(ctx)).filterBy(["storeId"]),
    },
    express: (app) => installRoutes(app, { config: options.config, ctx, tokens, relay, startedAtMs, emulator }),
    ...(options.redisUrl
      ? { presence: new RedisPresence(options.redisUrl), driver: new RedisDriver(options.redisUrl), publicAddress: options.publicAddress }
      : {}),
    gracefullyShutdown: false,
    greet: false,
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.gracefullyShutdown(false);
    kitchenStatus.stop();
    printingLease.stop();
    await relay.stop();
    await printing.stop();
    await emulator?.stop();
    await writer.close();
    await storage.close();
  };
  await server.listen(options.port, options.host);
  relay.start();
  kitchenStatus.start();
  return { server, ctx, relay, databaseFile, tokens, printing, emulator, stop };
}

/** Names the kitchen printers cannot print (outside KS X 1001) would come out as "?": say so at start. */
function warnUnprintable(config: AppConfig, log: Logger): void {
  for (const store of config.stores) {
    const names = [store.name, ...store.tables.map((t) => t.name), ...store.stations.map((s) => s.name),
      ...store.menuItems.flatMap((m) => [m.name, ...m.optionGroups.flatMap((g) => g.choices.map((c) => c.name))])];
    for (const name of names) {
      const { replaced } = sanitizeForPrinter(name);
      if (replaced.length > 0) log.warn(`config: "${name}" in store ${store.id} has characters a KS X 1001 printer cannot print (${replaced.join(" ")}); they print as "?"`);
    }
  }
}

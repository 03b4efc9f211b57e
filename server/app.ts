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
import { GuardedHttpServer, applyCorsPolicy, installRoutes } from "./http-routes.ts";
import type { LoginOptions } from "./login.ts";
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
  /** Exact origins allowed cross-origin HTTP access (matchmake and /api); empty = none. */
  readonly corsOrigins?: readonly string[];
  /** Login limits (tracked ids, failures per address); the defaults are in login.ts. */
  readonly login?: LoginOptions;
  /** Express "trust proxy" (which proxies may set the client address used by the login limits). */
  readonly trustProxy?: boolean | number | string | undefined;
}

export interface RunningApp {
  readonly server: Server;
  readonly ctx: RoomContext;
  readonly relay: OutboxRelay;
  readonly databaseFile: string;
  readonly tokens: TokenService;
  readonly printing: PrintService;
  /** The first store's emulator (PRINTER_EMULATOR_PORT), when some store has no printer configured. */
  readonly emulator: PrinterEmulator | undefined;
  /** One emulator per store that configures no printer (storeId → emulator): its slips print there only. */
  readonly emulators: ReadonlyMap<string, PrinterEmulator>;
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
  // Each store without printers gets its own emulator, so one store's slips are never shown to another.
  // The first takes PRINTER_EMULATOR_PORT, the others any free port.
  const emulators = new Map<string, PrinterEmulator>();
  for (const store of options.config.stores.filter((st) => st.printers.length === 0)) {
    const emulator = new PrinterEmulator({ host: "127.0.0.1", port: emulators.size === 0 ? options.emulatorPort ?? 0 : 0 });
    await emulator.start();
    emulators.set(store.id, emulator);
  }
  const emulator = emulators.values().next().value;
  const printing = new PrintService({
    config: options.config,
    printers: options.config.stores.flatMap((store) => {
      const own = emulators.get(store.id);
      return resolvePrinters({ ...options.config, stores: [store] }, own ? { host: "127.0.0.1", port: own.port } : undefined);
    }),
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
    transport: new WebSocketTransport({
      maxPayload: roomLimits.transportPayloadBytesMax,
      // Refuses oversized matchmake bodies before Colyseus reads them (http-routes.ts).
      server: new GuardedHttpServer(),
      pingInterval: roomLimits.pingIntervalMs,
      pingMaxRetries: roomLimits.pingMaxRetries,
    }),
    rooms: {
      table: defineRoom(TableRoom.withContext(ctx)).filterBy(["storeId", "tableId"]),
      kitchen: defineRoom(KitchenRoom.withContext(ctx)).filterBy(["storeId", "stationId"]),
      admin: defineRoom(AdminRoom.withContext(ctx)).filterBy(["storeId"]),
    },
    express: (app) => installRoutes(app, { config: options.config, ctx, tokens, relay, startedAtMs, emulators, login: options.login, trustProxy: options.trustProxy }),
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
    await Promise.all([...emulators.values()].map((e) => e.stop()));
    await writer.close();
    await storage.close();
  };
  applyCorsPolicy(options.corsOrigins ?? []);
  await server.listen(options.port, options.host);
  relay.start();
  kitchenStatus.start();
  return { server, ctx, relay, databaseFile, tokens, printing, emulator, emulators, stop };
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

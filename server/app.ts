import { defineRoom, defineServer, matchMaker, type Server } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { RedisPresence } from "@colyseus/redis-presence";
import { RedisDriver } from "@colyseus/redis-driver";
import { mkdirSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { join, resolve } from "node:path";
import { CommitWriter, ThreadedWriter, createCartPaymentStore, createDocumentReader, createFloorReader, createPaymentReader, createKitchenReader, createOutboxStore, createPrintStore, createSessionReader, createStockReader, openStorage, type Storage } from "../storage/index.ts";
import { SlipRoutingWriter } from "./slip-routing.ts";
import { PrinterEmulator, sanitizeForPrinter } from "../printers/index.ts";
import { AdminRoom } from "../rooms/admin/admin-room.ts";
import { PrintService, resolvePrinters } from "./printing/print-service.ts";
import type { PaymentDesk, RoomContext } from "../rooms/context.ts";
import { createCardProvider, createCashProvider } from "../payments/index.ts";
import { startVanSimulator, type VanSimulator } from "../payments/simulator/index.ts";
import { approverVerifier } from "./approver.ts";
import { PaymentReconciler } from "./payment-reconciler.ts";
import { IdleSweeper } from "./idle-sweeper.ts";
import { StaffCallDesk } from "../rooms/staff-calls.ts";
import { TableSignals } from "../rooms/table-signals.ts";
import { FloorRoom } from "../rooms/floor/floor-room.ts";
import { roomLimits } from "../protocol/limits.ts";
import { TableRoom } from "../rooms/table/table-room.ts";
import { roomNames } from "../protocol/rooms.ts";
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
import { Lease, newInstanceId } from "./lease.ts";
import { Readiness } from "./readiness.ts";
import { Retention, retentionDefaults, setIdempotencyWindow } from "./retention.ts";
import { Metrics } from "./metrics.ts";

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
  /** This process's lease holder id (unique per process); generated when absent. */
  readonly instanceId?: string;
  /** This process holds the DATA_DIR lock exclusively (no REDIS_URL): a lease of any other holder is a dead run's. */
  readonly exclusiveDataDir?: boolean;
  /** RETENTION_DAYS: processed_commands (the idempotency window) and delivered outbox rows are pruned after it. */
  readonly retentionDays?: number | undefined;
  /** OUTBOX_PARK_AFTER_FAILURES: consecutive failures after which an outbox subscriber is parked. */
  readonly outboxParkAfterFailures?: number | undefined;
  /** Bearer token for GET /metrics; unset = loopback only (default: METRICS_TOKEN from the environment). */
  readonly metricsToken?: string | undefined;
  /** VAN_URL: the card/easy-pay provider; unset = the built-in VAN simulator (demo, ledger in DATA_DIR). */
  readonly vanUrl?: string | undefined;
  /** PAYMENT_TIMEOUT_MS: how long one provider request may take before its answer counts as lost. */
  readonly paymentTimeoutMs?: number | undefined;
  /** RECONCILE_INTERVAL_MS: how often pending payment intents are settled with the provider. */
  readonly reconcileIntervalMs?: number | undefined;
  /** IDLE_SWEEP_INTERVAL_MS: how often idle sessions are looked for (R-OFF-1; also once at start). */
  readonly idleSweepIntervalMs?: number | undefined;
}

/** The port is taken by another process: nothing was started (no printing lease, no printer). */
export class PortInUseError extends Error {
  override readonly name = "PortInUseError";
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
  /** The built-in VAN simulator when no VAN_URL is set. */
  readonly vanSimulator: VanSimulator | undefined;
  readonly reconciler: PaymentReconciler;
  readonly idleSweeper: IdleSweeper;
  /** This process's lease holder id. */
  readonly instanceId: string;
  readonly readiness: Readiness;
  /** Where a running stop() is (named in the message when the shutdown deadline forces the exit). */
  readonly stopStage: string | undefined;
  /** Drains: readiness 503 at once, rooms closed, relay and printers finished, lease given back, HTTP and storage closed. */
  stop(): Promise<void>;
}

/** Wires storage, relay, auth, rooms and HTTP into one listening server. */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // A busy port stops the start here, before the database, a lease or a printer is touched.
  await probePort(options.port, options.host);
  const databaseFile = join(dataDir, "table-session.sqlite");
  const storage: Storage = await openStorage(databaseFile);
  // The writer runs on its own thread by default; STORAGE_WRITER=inline keeps it on this one.
  const writer = new SlipRoutingWriter(options.inlineWriter ? new CommitWriter(storage) : await ThreadedWriter.start(databaseFile));
  const metrics = new Metrics();
  metrics.instrumentWriter(writer);
  const relay = new OutboxRelay(createOutboxStore(storage), options.clock, options.log, (subscriber, lastId, at) =>
    writer.submitSystem([{ kind: "cursor", subscriber, lastId, at }]), options.outboxParkAfterFailures === undefined ? {} : { parkAfterFailures: options.outboxParkAfterFailures });
  const retentionDays = options.retentionDays ?? retentionDefaults.days;
  setIdempotencyWindow(retentionDays, options.clock);
  const retention = new Retention({ writer, storage, clock: options.clock, log: options.log, days: retentionDays, subscribers: () => relay.durableSubscribers() });
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
    const emulator = new PrinterEmulator({ host: "127.0.0.1", port: emulators.size === 0 ? options.emulatorPort ?? 0 : 0, journalFile: join(dataDir, `emulator-${store.id}.jsonl`) });
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
  printing.onNotice((notice) => metrics.printNotice(notice.kind));
  metrics.watchOutbox(storage, () => relay.status());
  printing.onNotice((notice) => {
    if (notice.ticketId && (notice.kind === "printed" || notice.kind === "print_failed")) board.setPrintStatus(notice.ticketId, notice.kind === "printed" ? "printed" : "failed");
  });
  writer.routeWith((storeId, stationId) => printing.routeFor(storeId, stationId)?.id);
  // One process drives the printers. The holder id is unique per process (host:pid:random); alone
  // on the DATA_DIR, a restarted process takes a dead run's lease at once. The lease is taken only
  // once the port is ours (below). Interrupted attempts are settled (marked REPRINT) before any actor runs.
  const instanceId = options.instanceId ?? newInstanceId();
  const printingLease = new Lease("printing", instanceId, writer, storage, options.clock, options.log, { exclusive: options.exclusiveDataDir ?? false });
  const readiness = new Readiness({ config: options.config, writer, inlineWriter: options.inlineWriter ?? false, lease: printingLease, printing, clock: options.clock, instanceId });
  const kitchenStatus = new KitchenStatus(options.clock, (storeId) => stores.get(storeId)?.stationIds ?? []);
  // Without a configured VAN the built-in simulator stands in (demo mode), its ledger beside the database.
  // The card provider: VAN_URL, or (demo) the built-in simulator, which starts only once the port
  // is ours (a port-0 listener started earlier could take the very port just probed).
  let vanSimulator: VanSimulator | undefined;
  let card = options.vanUrl ? cardProvider(options.vanUrl) : undefined;
  function cardProvider(baseUrl: string) {
    return createCardProvider({ baseUrl, ...(options.paymentTimeoutMs ? { requestTimeoutMs: options.paymentTimeoutMs } : {}) });
  }
  const cash = createCashProvider();
  const payments: PaymentDesk = {
    providerFor: (_storeId, method) => (method === "cash" ? cash : card!),
    cashReceipts: () => card,
    inFlight: new Set(),
  };
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
    verifyApprover: approverVerifier(options.config, options.clock),
    payments,
    documents: createDocumentReader(storage),
    paymentRecords: createPaymentReader(storage),
    cartPayments: createCartPaymentStore(storage),
    staffCalls: new StaffCallDesk(),
    tableSignals: new TableSignals(),
    metrics,
  };
  const reconciler = new PaymentReconciler(ctx, ctx.paymentRecords, options.clock, options.log, {
    ...(options.reconcileIntervalMs ? { intervalMs: options.reconcileIntervalMs } : {}),
    ...(options.paymentTimeoutMs ? { minAgeMs: options.paymentTimeoutMs * 3 } : {}),
  });
  // R-OFF-1: sessions idle past their store's timeout move to timed_out, found in the database.
  const idleSweeper = new IdleSweeper(ctx, ctx.reader, options.config, options.clock, options.log, { intervalMs: options.idleSweepIntervalMs });
  const startedAtMs = options.clock.nowMs();
  const httpServer = new GuardedHttpServer();
  const presence = options.redisUrl ? new RedisPresence(options.redisUrl) : undefined;
  const driver = options.redisUrl ? new RedisDriver(options.redisUrl) : undefined;
  const server = defineServer({
    transport: new WebSocketTransport({
      maxPayload: roomLimits.transportPayloadBytesMax,
      // Refuses oversized matchmake bodies before Colyseus reads them (http-routes.ts).
      server: httpServer,
      pingInterval: roomLimits.pingIntervalMs,
      pingMaxRetries: roomLimits.pingMaxRetries,
    }),
    rooms: {
      [roomNames.table]: defineRoom(TableRoom.withContext(ctx)).filterBy(["storeId", "tableId"]),
      [roomNames.kitchen]: defineRoom(KitchenRoom.withContext(ctx)).filterBy(["storeId", "stationId"]),
      [roomNames.floor]: defineRoom(FloorRoom.withContext(ctx, createFloorReader(storage))).filterBy(["storeId"]),
      [roomNames.admin]: defineRoom(AdminRoom.withContext(ctx)).filterBy(["storeId"]),
    },
    express: (app) => installRoutes(app, { config: options.config, ctx, tokens, relay, startedAtMs, emulators, login: options.login, trustProxy: options.trustProxy, readiness,
      metrics, metricsToken: options.metricsToken ?? (process.env.METRICS_TOKEN || undefined) }),
    ...(presence && driver ? { presence, driver, publicAddress: options.publicAddress } : {}),
    gracefullyShutdown: false,
    greet: false,
  });
  // The drain. HTTP stays up until the slow parts are done, so /api/health answers and /api/ready
  // says 503 (draining) meanwhile; main.ts bounds the whole with SHUTDOWN_DEADLINE_MS.
  let stopStage: string | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= (async () => {
    readiness.markDraining();
    printingLease.drain();
    stopStage = "closing rooms";
    await matchMaker.gracefullyShutdown().catch((error: unknown) => options.log.warn(`shutdown: rooms: ${String(error)}`));
    kitchenStatus.stop();
    stopStage = "payment reconciliation";
    await reconciler.stop();
    await idleSweeper.stop();
    stopStage = "outbox relay";
    await relay.stop();
    await retention.stop();
    stopStage = "printers finishing their slips";
    await printing.stop();
    // Renewed until the printers stopped; then given back so a successor prints at once.
    stopStage = "printing lease";
    await printingLease.stop();
    stopStage = "printer emulators";
    await Promise.all([...emulators.values()].map((e) => e.stop()));
    await vanSimulator?.close();
    stopStage = "http and presence";
    server.transport.shutdown();
    presence?.shutdown();
    await driver?.shutdown();
    stopStage = "storage writer";
    await writer.close();
    await storage.close();
    stopStage = "stopped";
  })());
  applyCorsPolicy(options.corsOrigins ?? []);
  try {
    await listen(server, httpServer, options.port, options.host);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  if (!card) {
    // Several processes (REDIS_URL) each get their own simulator ledger: set VAN_URL to share one provider.
    const ledgerName = options.redisUrl ? `van-simulator-${instanceId.replace(/[^A-Za-z0-9_-]/g, "_")}.jsonl` : "van-simulator.jsonl";
    if (options.redisUrl) options.log.warn("REDIS_URL without VAN_URL: each process runs its own VAN simulator (demo only); set VAN_URL so every process talks to the same provider");
    vanSimulator = await startVanSimulator({ ledgerFile: join(dataDir, ledgerName) });
    card = cardProvider(vanSimulator.url);
  }
  // The port is ours: only now take the lease (and with it start printing).
  await printingLease.start(async () => {
    await printing.start();
    relay.add(printing.subscriber());
  });
  relay.start();
  retention.start();
  kitchenStatus.start();
  reconciler.start();
  idleSweeper.start();
  return {
    server, ctx, relay, databaseFile, tokens, printing, emulator, emulators, vanSimulator, reconciler, idleSweeper, instanceId, readiness, stop,
    get stopStage() {
      return stopStage;
    },
  };
}

function portInUse(port: number, host: string): string {
  return `port ${port} on ${host} is already in use by another process: not starting (no printing lease taken, no printer started). ` +
    "Stop the other process or choose another PORT.";
}

/** Binds host:port for a moment: a port another process holds fails here, before anything is started. */
async function probePort(port: number, host: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolvePort, reject) => {
    const probe = createNetServer();
    probe.once("error", (error: NodeJS.ErrnoException) => reject(error.code === "EADDRINUSE" ? new PortInUseError(portInUse(port, host)) : error));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolvePort()));
  });
}

/**
 * Colyseus's listen() never settles when the bind fails (Node only emits "error"): race it with the
 * HTTP server's error, so a port taken since the probe still stops the start (before the lease).
 */
async function listen(server: Server, httpServer: GuardedHttpServer, port: number, host: string): Promise<void> {
  let onError: (error: NodeJS.ErrnoException) => void = () => undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    onError = (error) => reject(error.code === "EADDRINUSE" ? new PortInUseError(portInUse(port, host)) : error);
    httpServer.once("error", onError);
  });
  try {
    await Promise.race([server.listen(port, host), failed]);
  } finally {
    httpServer.off("error", onError);
  }
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

import http from "node:http";
import net from "node:net";
import { simulatorLimits } from "../limits.ts";
import { assertTimeZone } from "../time-zone.ts";
import { apiCall, invalid, parseJson, readBody, send } from "./api-routes.ts";
import { type CallFault, type FaultSpec, type FaultView, FaultStore, faultListProblem, faultListSchema } from "./faults.ts";
import { Ledger, type LedgerEntry } from "./ledger.ts";
import type { Answer, Books } from "./operations.ts";
import { orderView } from "./views.ts";

export interface VanSimulatorOptions {
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** 0 or absent: a free port. */
  port?: number;
  /** JSON-lines file: every ledger change is appended (fsync'd) before the answer; reloaded at start. */
  ledgerFile?: string;
  /** Zone of `approvedAt` stamps and settlement dates. Default Asia/Seoul. */
  timeZone?: string;
  /** In-process only: the simulator's clock (tests pin dates with it). */
  now?: () => Date;
}

export interface LedgerSnapshot {
  readonly entries: readonly LedgerEntry[];
  readonly orders: readonly ReturnType<typeof orderView>[];
}

export interface VanSimulator {
  readonly url: string;
  readonly port: number;
  /** Replaces the active faults (an invalid spec throws: a test bug). Resolves once a refuse is in force. */
  setFaults(...faults: FaultSpec[]): Promise<void>;
  /** Ends every fault; after a refuse, resolves once it listens again. */
  clearFaults(): Promise<void>;
  faults(): FaultView[];
  ledger(): LedgerSnapshot;
  /** Stops listening, drops hung and slow requests, closes the ledger file. */
  close(): Promise<void>;
}

/** A Korean VAN/PG lookalike on loopback; API and faults in README.md. */
export async function startVanSimulator(options: VanSimulatorOptions = {}): Promise<VanSimulator> {
  const timeZone = options.timeZone ?? "Asia/Seoul";
  assertTimeZone(timeZone);
  const books: Books = { ledger: new Ledger(options.ledgerFile), now: options.now ?? (() => new Date()), timeZone };
  const server = new SimulatorServer(books, options.host ?? "127.0.0.1");
  await server.start(options.port ?? 0);
  return {
    url: server.url,
    port: server.port,
    async setFaults(...list) {
      const problem = await server.applyFaults(list, false);
      if (problem) throw new TypeError(`invalid faults: ${problem}`);
    },
    clearFaults: () => server.restore(),
    faults: () => server.faults.list(),
    ledger: () => server.snapshot(),
    close: () => server.close(),
  };
}

class SimulatorServer {
  readonly faults = new FaultStore();
  readonly #sockets = new Set<net.Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #http = http.createServer((req, res) => void this.#route(req, res));
  #listener: net.Server | undefined;
  #refuseTimer: NodeJS.Timeout | undefined;
  #closed = false;
  port = 0;

  constructor(readonly books: Books, readonly host: string) {}

  get url(): string {
    return `http://${this.host.includes(":") ? `[${this.host}]` : this.host}:${this.port}`;
  }

  async start(port: number): Promise<void> {
    this.#listener = await this.#listen(port);
    this.port = (this.#listener.address() as net.AddressInfo).port;
  }

  /** Connections are accepted here and handed to the HTTP server, so `refuse` can stop accepting alone. */
  #listen(port: number): Promise<net.Server> {
    const listener = net.createServer((socket) => {
      this.#sockets.add(socket);
      socket.once("close", () => this.#sockets.delete(socket));
      this.#http.emit("connection", socket);
    });
    listener.maxConnections = simulatorLimits.connectionsMax;
    return new Promise((resolve, reject) => {
      listener.once("error", reject);
      listener.listen(port, this.host, () => resolve(listener));
    });
  }

  /** Sets the faults; `spare` is the control request that set them (a refuse answers it before going dark). */
  async applyFaults(list: FaultSpec[], overHttp: boolean, spare?: net.Socket): Promise<string | null> {
    const parsed = faultListSchema.safeParse({ faults: list });
    if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    const problem = faultListProblem(parsed.data.faults, overHttp);
    if (problem) return problem;
    await this.restore();
    this.faults.set(parsed.data.faults);
    const refuse = this.faults.refuse();
    if (refuse) {
      await this.#stopListening(spare);
      if (refuse.forMs !== undefined) this.#refuseTimer = setTimeout(() => void this.restore(), refuse.forMs);
    }
    return null;
  }

  /**
   * `down`/refuse: nobody can connect and open connections are cut. Waits for the cut sockets to
   * close and one more turn, so an in-process client has seen them go.
   */
  async #stopListening(spare?: net.Socket): Promise<void> {
    this.#listener?.close();
    const cut = [...this.#sockets].filter((s) => s !== spare);
    const gone = cut.map((s) => new Promise((r) => s.once("close", r)));
    for (const s of cut) s.destroy();
    await Promise.all(gone);
    await new Promise((r) => setImmediate(r));
  }

  /** Clears every fault; after a refuse, listens again on the same port. */
  async restore(): Promise<void> {
    clearTimeout(this.#refuseTimer);
    this.#refuseTimer = undefined;
    const refusing = this.faults.refuse();
    this.faults.clear();
    if (!refusing || this.#closed || this.#listener?.listening) return;
    const reopened = await this.#listen(this.port);
    if (this.#closed) reopened.close(); // close() ran while it was binding
    else this.#listener = reopened;
  }

  async #route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === "aborted") return;
    if (body === "too_large") return send(res, invalid("body over 16 KB"));
    const url = new URL(req.url ?? "/", "http://simulator");
    const method = req.method ?? "";
    if (url.pathname.startsWith("/_control/")) return send(res, await this.#control(method, url.pathname, body, req.socket));
    const call = apiCall(this.books, this.faults, method, url, body);
    if ("status" in call) return send(res, call);
    const fault = this.faults.take(call.operation, call.orderId);
    if (fault?.kind === "down") return send(res, { status: 503, body: { code: "PROVIDER_ERROR", message: "일시적인 오류입니다. 잠시 후 다시 시도해주세요." } });
    if (fault?.kind === "timeout" && !fault.afterProcessing) return; // hold the socket; the client gives up
    this.#deliver(req, res, call.run(fault), fault);
  }

  /** The last step of a call, where answer faults strike after the ledger changed. */
  #deliver(req: http.IncomingMessage, res: http.ServerResponse, answer: Answer, fault: CallFault | undefined): void {
    switch (fault?.kind) {
      case "timeout":
        return;
      case "approvedButAnswerLost":
        req.socket.destroy();
        return;
      case "garbledAnswer": {
        const text = JSON.stringify(answer.body);
        res.writeHead(200, { "content-type": "application/json; charset=utf-8", connection: "close" });
        res.end(text.slice(0, Math.floor(text.length / 2)));
        return;
      }
      case "slow": {
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          send(res, answer);
        }, fault.delayMs);
        this.#timers.add(timer);
        return;
      }
      default:
        send(res, answer);
    }
  }

  async #control(method: string, path: string, text: string, socket: net.Socket): Promise<Answer> {
    switch (`${method} ${path}`) {
      case "GET /_control/health":
        return { status: 200, body: { status: "ok", entries: this.books.ledger.entries.length } };
      case "GET /_control/ledger":
        return { status: 200, body: { ...this.snapshot() } };
      case "GET /_control/faults":
        return { status: 200, body: { faults: this.faults.list() } };
      case "DELETE /_control/faults":
        await this.restore();
        return { status: 200, body: { faults: [] } };
      case "POST /_control/faults": {
        const json = parseJson(text) as { faults?: unknown } | undefined;
        const problem = Array.isArray(json?.faults) ? await this.applyFaults(json.faults as FaultSpec[], true, socket) : "body: { faults: [...] }";
        return problem ? invalid(problem) : { status: 200, body: { faults: this.faults.list() } };
      }
      default:
        return { status: 404, body: { code: "NOT_FOUND_ROUTE", message: `${method} ${path}` } };
    }
  }

  snapshot(): LedgerSnapshot {
    const { ledger } = this.books;
    return structuredClone({ entries: ledger.entries, orders: [...ledger.orders.values()].map(orderView) });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#refuseTimer);
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    const listener = this.#listener;
    const stopped = new Promise<void>((resolve) => (listener?.listening ? listener.close(() => resolve()) : resolve()));
    for (const s of this.#sockets) s.destroy();
    await stopped;
    this.books.ledger.close();
  }
}

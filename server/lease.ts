import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Storage, Writer } from "../storage/index.ts";
import type { Clock } from "./clock.ts";
import type { Logger } from "./logger.ts";

export const leaseLimits = { ttlMs: 10_000, renewEveryMs: 3_000 } as const;

/**
 * This process's id as a lease holder: `host:pid:random`, unique per process. (It used to be
 * `host:port`: two processes on one host with the same port number, e.g. one whose port was busy or
 * one bound to another address, both believed they held the lease.)
 */
export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

export interface LeaseOptions {
  /**
   * No other live process can use this database (the DATA_DIR lock is exclusive: no REDIS_URL), so
   * a lease held by anyone else belongs to a previous run that died: take it at once instead of
   * waiting out its TTL.
   */
  readonly exclusive?: boolean;
}

export interface LeaseStatus {
  readonly held: boolean;
  /** Outcome of the last take/renew write: null before the first one. */
  readonly lastWriteOk: boolean | null;
  readonly lastError: string | null;
}

/**
 * A role only one process may play at a time (several processes share one database with Redis
 * presence). Driving the printers is one: two processes printing the same queue could each send
 * an unmarked copy. The holder renews well before expiry; another process takes over after it.
 */
export class Lease {
  #timer: NodeJS.Timeout | undefined;
  #held = false;
  #stopped = false;
  #draining = false;
  #inFlight: Promise<void> | undefined;
  #lastWriteOk: boolean | null = null;
  #lastError: string | null = null;
  readonly #row;

  constructor(
    private readonly name: string,
    readonly holder: string,
    private readonly writer: Writer,
    storage: Storage,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: LeaseOptions = {},
  ) {
    this.#row = storage.sqlite.prepare("select holder, expires_at_ms as expiresAtMs from leases where name = ?");
  }

  get held(): boolean {
    return this.#held;
  }

  status(): LeaseStatus {
    return { held: this.#held, lastWriteOk: this.#lastWriteOk, lastError: this.#lastError };
  }

  /** Tries now and then keeps trying; `onAcquired` runs once, when this process becomes the holder. */
  async start(onAcquired: () => Promise<void> | void): Promise<void> {
    const attempt = async () => {
      if (this.#draining && !this.#held) return;
      try {
        await this.writer.submitSystem([this.#takeWrite()]);
        this.#lastWriteOk = true;
        this.#lastError = null;
        const mine = this.#current()?.holder === this.holder;
        if (mine && !this.#held && this.#draining) {
          // Taken by a try that began before the drain: never act on it; stop() gives it back.
          this.#held = true;
        } else if (mine && !this.#held) {
          this.#held = true;
          this.log.info(`lease ${this.name}: held by this process (${this.holder})`);
          await onAcquired();
        } else if (!mine && this.#held) {
          // Lost it (this process stalled past the TTL): stop acting on it at once.
          this.log.error(`lease ${this.name}: lost to another process; exiting so it can take over cleanly`);
          process.exit(3);
        }
      } catch (error) {
        this.#lastWriteOk = false;
        this.#lastError = String(error);
        this.log.warn(`lease ${this.name}: renewal failed: ${String(error)}`);
      }
    };
    const tracked = () => {
      if (this.#stopped || this.#inFlight) return;
      this.#inFlight = attempt().finally(() => (this.#inFlight = undefined));
    };
    tracked();
    await this.#inFlight;
    if (this.#stopped) return;
    this.#timer = setInterval(tracked, leaseLimits.renewEveryMs);
    this.#timer.unref();
  }

  /** Shutdown began: keep renewing a lease held (its work is finishing), never take a new one. */
  drain(): void {
    this.#draining = true;
  }

  /** Stops renewing and, if held, gives the lease back so a successor takes it at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#inFlight;
    if (!this.#held) return;
    this.#held = false;
    // Our own row: "renew" it to an expiry already past. Another holder's row is left alone.
    const nowMs = this.clock.nowMs();
    try {
      await this.writer.submitSystem([{ kind: "lease", name: this.name, holder: this.holder, nowMs, ttlMs: -1 }]);
      this.log.info(`lease ${this.name}: released`);
    } catch (error) {
      this.log.warn(`lease ${this.name}: not released (it expires by itself): ${String(error)}`);
    }
  }

  #current(): { holder: string; expiresAtMs: number } | undefined {
    return this.#row.get(this.name) as { holder: string; expiresAtMs: number } | undefined;
  }

  /**
   * The take/renew write (the writer's SQL: take it if free, expired or already ours). When this
   * process is alone on the database, a row of another holder is a dead predecessor's: the write
   * is made with a "now" just past that row's expiry, so it takes it at once, and sets our expiry
   * to the usual now + TTL.
   */
  #takeWrite() {
    const nowMs = this.clock.nowMs();
    const expiresAtMs = nowMs + leaseLimits.ttlMs;
    const row = this.options.exclusive && !this.#held ? this.#current() : undefined;
    if (row && row.holder !== this.holder && row.expiresAtMs >= nowMs) {
      const pastIt = row.expiresAtMs + 1;
      this.log.info(`lease ${this.name}: taking it over from ${row.holder} (a previous run: no other process can use this DATA_DIR)`);
      return { kind: "lease", name: this.name, holder: this.holder, nowMs: pastIt, ttlMs: Math.max(1, expiresAtMs - pastIt) } as const;
    }
    return { kind: "lease", name: this.name, holder: this.holder, nowMs, ttlMs: leaseLimits.ttlMs } as const;
  }
}

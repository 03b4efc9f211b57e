import type { Storage, Writer } from "../storage/index.ts";
import type { Clock } from "./clock.ts";
import type { Logger } from "./logger.ts";

export const leaseLimits = { ttlMs: 10_000, renewEveryMs: 3_000 } as const;

/**
 * A role only one process may play at a time (several processes share one database with Redis
 * presence). Driving the printers is one: two processes printing the same queue could each send
 * an unmarked copy. The holder renews well before expiry; another process takes over after it.
 */
export class Lease {
  #timer: NodeJS.Timeout | undefined;
  #held = false;
  readonly #check;

  constructor(
    private readonly name: string,
    private readonly holder: string,
    private readonly writer: Writer,
    storage: Storage,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.#check = storage.sqlite.prepare("select holder from leases where name = ?").pluck();
  }

  get held(): boolean {
    return this.#held;
  }

  /** Tries now and then keeps trying; `onAcquired` runs once, when this process becomes the holder. */
  async start(onAcquired: () => Promise<void> | void): Promise<void> {
    const attempt = async () => {
      try {
        await this.writer.submitSystem([{ kind: "lease", name: this.name, holder: this.holder, nowMs: this.clock.nowMs(), ttlMs: leaseLimits.ttlMs }]);
        const mine = this.#check.get(this.name) === this.holder;
        if (mine && !this.#held) {
          this.#held = true;
          this.log.info(`lease ${this.name}: held by this process (${this.holder})`);
          await onAcquired();
        } else if (!mine && this.#held) {
          // Lost it (this process stalled past the TTL): stop acting on it at once.
          this.log.error(`lease ${this.name}: lost to another process; exiting so it can take over cleanly`);
          process.exit(3);
        }
      } catch (error) {
        this.log.warn(`lease ${this.name}: renewal failed: ${String(error)}`);
      }
    };
    await attempt();
    this.#timer = setInterval(() => void attempt(), leaseLimits.renewEveryMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}

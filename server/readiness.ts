import type { Writer } from "../storage/index.ts";
import type { AppConfig } from "./config/index.ts";
import type { Clock } from "./clock.ts";
import type { Lease } from "./lease.ts";
import type { PrintService } from "./printing/print-service.ts";

export const readyLimits = {
  /** A probe write that has not committed by then counts as a failure (busy_timeout is 5 s). */
  probeTimeoutMs: 2_000,
  /** A probe result younger than this is reused: a flood of /api/ready costs at most one write per second. */
  probeReuseMs: 1_000,
} as const;

/** The lease row the readiness probe writes (its own row, always expired: never a holder of anything). */
export const readyProbeLease = "ready-probe";

/**
 * What `/api/ready` reports. Aggregates only (no store ids, no per-store rows): the route needs no
 * token, so it must not tell one store anything about another.
 */
export interface ReadyDetails {
  /** SIGTERM/SIGINT received: the process is draining and takes no new work. */
  readonly draining: boolean;
  /** A tiny write through the writer (its thread, SQLite's write lock, the disk). Not checked while draining. */
  readonly storage: { readonly checked: boolean; readonly writable: boolean; readonly writer: "thread" | "inline"; readonly error?: string };
  /** Whether this process drives the printers (the `printing` lease), and whether its last take/renew write went through. */
  readonly printingLease: { readonly held: boolean; readonly lastWriteOk: boolean | null };
  /** All printers of all stores, counted. Health is checked only by the lease holder (`driven`). */
  readonly printers: { readonly driven: boolean; readonly total: number; readonly reachable: number; readonly unreachable: number; readonly unchecked: number; readonly failedOver: number; readonly pendingSlips: number };
}

export interface ReadinessDeps {
  readonly config: AppConfig;
  readonly writer: Writer;
  readonly inlineWriter: boolean;
  readonly lease: Lease;
  readonly printing: PrintService;
  readonly clock: Clock;
  /** Any lease holder id of this process (the probe row's holder). */
  readonly instanceId: string;
}

type Probe = { readonly writable: boolean; readonly error?: string };

/** Readiness: ready = not draining and the database takes a write. The lease and printers are information. */
export class Readiness {
  #draining = false;
  #probe: Promise<Probe> | undefined;
  #last: { atMs: number; result: Probe } | undefined;

  constructor(private readonly deps: ReadinessDeps) {}

  get draining(): boolean {
    return this.#draining;
  }

  /** From now on the process is not ready (shutdown started). */
  markDraining(): void {
    this.#draining = true;
  }

  async check(): Promise<{ ready: boolean; details: ReadyDetails }> {
    const draining = this.#draining;
    const probe = draining ? undefined : await this.#probeWrite();
    const lease = this.deps.lease.status();
    const details: ReadyDetails = {
      draining,
      storage: { checked: probe !== undefined, writable: probe?.writable ?? false, writer: this.deps.inlineWriter ? "inline" : "thread", ...(probe?.error ? { error: probe.error } : {}) },
      printingLease: { held: lease.held, lastWriteOk: lease.lastWriteOk },
      printers: this.#printers(lease.held),
    };
    return { ready: !draining && probe?.writable === true, details };
  }

  /** One probe at a time, and a recent result is reused. */
  async #probeWrite(): Promise<Probe> {
    const nowMs = this.deps.clock.nowMs();
    if (this.#last && nowMs - this.#last.atMs < readyLimits.probeReuseMs && this.#last.atMs <= nowMs) return this.#last.result;
    this.#probe ??= this.#write().then((result) => {
      this.#last = { atMs: this.deps.clock.nowMs(), result };
      this.#probe = undefined;
      return result;
    });
    return this.#probe;
  }

  async #write(): Promise<Probe> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Probe>((resolve) => {
      timer = setTimeout(() => resolve({ writable: false, error: `no commit within ${readyLimits.probeTimeoutMs} ms` }), readyLimits.probeTimeoutMs);
      timer.unref();
    });
    // ttl 0: the row expires as it is written, so any process's next probe may overwrite it.
    const write = this.deps.writer
      .submitSystem([{ kind: "lease", name: readyProbeLease, holder: this.deps.instanceId, nowMs: this.deps.clock.nowMs(), ttlMs: 0 }])
      .then((): Probe => ({ writable: true }), (error: unknown): Probe => ({ writable: false, error: error instanceof Error ? error.message : String(error) }));
    try {
      return await Promise.race([write, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #printers(driven: boolean): ReadyDetails["printers"] {
    const health = this.deps.config.stores.flatMap((store) => this.deps.printing.health(store.id));
    const checked = health.filter((h) => h.checkedAt !== null);
    return {
      driven,
      total: health.length,
      reachable: checked.filter((h) => h.reachable).length,
      unreachable: checked.filter((h) => !h.reachable).length,
      unchecked: health.length - checked.length,
      failedOver: health.filter((h) => h.failedOverTo !== null).length,
      pendingSlips: health.reduce((sum, h) => sum + h.pending, 0),
    };
  }
}

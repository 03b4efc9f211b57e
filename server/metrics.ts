import { timingSafeEqual, createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Storage, Writer } from "../storage/index.ts";

/**
 * Prometheus metrics of one server process (prom-client), served at GET /metrics (http-routes.ts).
 * One registry per app, so several apps in one test process do not collide. Labels are bounded:
 * room types and command types come from the code, codes from the wire error list, stores from
 * the config; anything else a client sends is counted as type "other".
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #commands = new Counter({
    name: "table_session_commands_total",
    help: "Commands answered, by room type, command type and outcome code (ok or the error code)",
    labelNames: ["room", "type", "code"] as const,
    registers: [this.registry],
  });
  readonly #commandSeconds = new Histogram({
    name: "table_session_command_duration_seconds",
    help: "Command latency from receipt to answer (mailbox wait, decision, durable commit), by room type and command type",
    labelNames: ["room", "type"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly #confirms = new Counter({
    name: "table_session_confirms_total",
    help: "Orders confirmed (confirm commands answered ok), by store",
    labelNames: ["store"] as const,
    registers: [this.registry],
  });
  readonly #commitSeconds = new Histogram({
    name: "table_session_commit_duration_seconds",
    help: "Storage writer: time from submitting a command's unit to its durable commit (group commit wait included)",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  readonly #unitsPerCommit = new Histogram({
    name: "table_session_commit_units",
    help: "Storage writer: units written per durable transaction (group commit batch size)",
    buckets: [1, 2, 4, 8, 16, 32, 64, 128],
    registers: [this.registry],
  });
  readonly #prints = new Counter({
    name: "table_session_print_notices_total",
    help: "Print attempts and printer changes, by outcome (printed, print_failed, failover, recovered)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** One answered command (called from wireCommands, rooms/command-pipeline.ts). */
  observeCommand(sample: { readonly room: string; readonly type: string; readonly code: string; readonly store: string; readonly seconds: number }): void {
    this.#commands.inc({ room: sample.room, type: sample.type, code: sample.code });
    this.#commandSeconds.observe({ room: sample.room, type: sample.type }, sample.seconds);
    if (sample.room === "table" && sample.type === "confirm" && sample.code === "ok") this.#confirms.inc({ store: sample.store });
  }

  printNotice(kind: string): void {
    this.#prints.inc({ outcome: kind });
  }

  /** Times every `submit` to its durable commit and records the batch size of every commit (writer.stats deltas). */
  instrumentWriter(writer: Writer): void {
    const submit = writer.submit.bind(writer);
    const timer = this.#commitSeconds;
    writer.submit = (unit) => {
      const end = timer.startTimer();
      const done = submit(unit);
      done.then(() => end(), () => undefined);
      return done;
    };
    let seen = { commits: writer.stats.commits, units: writer.stats.units };
    writer.onCommitted(() => {
      const { commits, units } = writer.stats;
      const newCommits = commits - seen.commits;
      const newUnits = units - seen.units;
      seen = { commits, units };
      if (newCommits <= 0) return;
      for (let i = 0; i < newCommits; i += 1) this.#unitsPerCommit.observe(newUnits / newCommits);
    });
  }

  /** Outbox rows each subscriber has yet to deliver (head id, read at scrape time, minus its deliveredId). */
  watchOutbox(storage: Storage, lanes: () => readonly { name: string; deliveredId: number }[]): void {
    let head: { get(): unknown } | undefined;
    new Gauge({
      name: "table_session_outbox_depth",
      help: "Outbox events not yet delivered, by subscriber",
      labelNames: ["subscriber"] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        try {
          head ??= storage.sqlite.prepare("select max(id) from outbox").pluck();
          const headId = Number(head.get() ?? 0);
          for (const lane of lanes()) this.set({ subscriber: lane.name }, Math.max(0, headId - lane.deliveredId));
        } catch {
          // The database is closed (shutting down): no sample rather than a failed scrape.
        }
      },
    });
  }
}

/** What wireCommands reads off the room's context (structurally: RoomContext itself stays as it is). */
export interface CommandObserver {
  observeCommand: Metrics["observeCommand"];
}

const loopback = /^(127\.|::1$|::ffff:127\.)/;

/**
 * Who may scrape: with METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>` (from
 * anywhere); without it, only a direct connection from this host's loopback carrying no proxy
 * header (a reverse proxy on the same host would otherwise make every outside caller look local).
 * Staff and admin tokens are not accepted: the metrics span every store.
 */
export function metricsRefusal(req: IncomingMessage, token: string | undefined): { status: number; code: string; message: string } | undefined {
  if (token) {
    const header = req.headers.authorization ?? "";
    const given = header.startsWith("Bearer ") ? header.slice(7) : "";
    return sameSecret(given, token) ? undefined : { status: 401, code: "UNAUTHORIZED", message: "metrics need Authorization: Bearer <METRICS_TOKEN>" };
  }
  const proxied = req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined || req.headers["x-real-ip"] !== undefined;
  if (!proxied && loopback.test(req.socket.remoteAddress ?? "")) return undefined;
  return { status: 403, code: "FORBIDDEN", message: "metrics are served to loopback only unless METRICS_TOKEN is set" };
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

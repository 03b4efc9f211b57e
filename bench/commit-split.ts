import type { ServerProcess } from "../test/support/server-process.ts";
import type { ServerMetrics } from "./server-control.ts";
import { printCounts } from "./print-drain.ts";
import { round } from "./stats.ts";
import { benchSettings } from "./settings.ts";

/**
 * The server's counters at one instant, for the issue-15 "durable commits per confirm" figure:
 * the writer's own stats (/api/admin/metrics) plus the Prometheus counters of GET /metrics
 * (server/metrics.ts), plus the print slips settled so far (the server's SQLite file, read-only).
 */
export interface CommitCounters {
  readonly commits: number;
  /** Every piece of work the writer committed: command units and system writes alike. */
  readonly units: number;
  /** writer.submit calls (command units): the count of table_session_commit_duration_seconds. */
  readonly commandUnits: number | undefined;
  /** Commands answered ok, every room and type (table_session_commands_total{code="ok"}). */
  readonly okCommands: number | undefined;
  readonly confirms: number | undefined;
  /** Commits that held system writes only, if the writer counts them (WriterStats.systemOnlyCommits: not there yet). */
  readonly systemOnlyCommits: number | undefined;
  /** print_slips no longer pending (printed or failed). */
  readonly settledSlips: number;
}

/** What the writer did between two readings, split as far as the counters allow. */
export interface CommitSplit {
  readonly commits: number;
  readonly units: number;
  readonly unitsPerCommit: number;
  readonly confirms: number;
  readonly commandUnits: number | undefined;
  /** units − command units: print start/end, relay cursors, leases, retention. */
  readonly systemWrites: number | undefined;
  readonly okCommands: number | undefined;
  /** Every durable commit of the window, print bookkeeping and cursors included, per confirm. */
  readonly commitsPerConfirm: number;
  /** writer.submit calls per ok command: 1 means every command is one unit, so one commit on its path. */
  readonly commandUnitsPerCommand: number | undefined;
  /** Command units ≤ ok commands + clients (the commands in flight at the two readings): each command is one unit. */
  readonly oneUnitPerCommand: boolean | undefined;
  /** Commits holding at least one command unit, per confirm; undefined until the writer counts system-only commits. */
  readonly confirmPathCommitsPerConfirm: number | undefined;
  readonly settledSlips: number;
  readonly systemWritesPerSlip: number | undefined;
  /** System-only commits per settled slip; undefined until the writer counts them. */
  readonly bookkeepingCommitsPerSlip: number | undefined;
  /** Why a figure is missing or approximate. */
  readonly notes: readonly string[];
}

/** Reads both metric endpoints and the print tables now. `writer` comes from the MetricsProbe reading of the same instant. */
export async function readCommitCounters(server: ServerProcess, writer: ServerMetrics["writer"]): Promise<CommitCounters> {
  const prom = await scrape(server.endpoint).catch(() => undefined);
  const counts = printCounts(server.databaseFile);
  const systemOnly = (writer as unknown as Record<string, unknown>).systemOnlyCommits;
  return {
    commits: writer.commits,
    units: writer.units,
    commandUnits: prom ? sumOf(prom, "table_session_commit_duration_seconds_count") : undefined,
    okCommands: prom ? sumOf(prom, "table_session_commands_total", (labels) => labels.includes('code="ok"')) : undefined,
    confirms: prom ? sumOf(prom, "table_session_confirms_total") : undefined,
    systemOnlyCommits: typeof systemOnly === "number" ? systemOnly : undefined,
    settledSlips: counts ? counts.slips - counts.pending : 0,
  };
}

/**
 * `benchConfirms`: the confirms the bench counted in the window (used when the server's counter is
 * missing); `clients`: at most one command per client is in flight at each reading, so up to that
 * many units may be counted on one side of a reading and their answers on the other.
 */
export function splitCommits(before: CommitCounters, after: CommitCounters, benchConfirms: number, clients: number): CommitSplit {
  const notes: string[] = [];
  const delta = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : b - a);
  const commits = after.commits - before.commits;
  const units = after.units - before.units;
  const confirms = delta(before.confirms, after.confirms) ?? benchConfirms;
  const commandUnits = delta(before.commandUnits, after.commandUnits);
  const okCommands = delta(before.okCommands, after.okCommands);
  const systemOnly = delta(before.systemOnlyCommits, after.systemOnlyCommits);
  const settledSlips = after.settledSlips - before.settledSlips;
  const systemWrites = commandUnits === undefined ? undefined : units - commandUnits;
  if (commandUnits === undefined) notes.push("GET /metrics could not be read: command units and system writes are not split");
  if (systemOnly === undefined) notes.push("the writer does not count commits holding system writes only, so commits cannot be split into confirm path and print bookkeeping");
  const per = (n: number | undefined, d: number) => (n === undefined || d <= 0 ? undefined : round(n / d, 3));
  return {
    commits,
    units,
    unitsPerCommit: round(commits > 0 ? units / commits : 0),
    confirms,
    commandUnits,
    systemWrites,
    okCommands,
    commitsPerConfirm: confirms > 0 ? round(commits / confirms, 3) : Number.NaN,
    commandUnitsPerCommand: okCommands === undefined ? undefined : per(commandUnits, okCommands),
    oneUnitPerCommand: commandUnits === undefined || okCommands === undefined ? undefined : commandUnits <= okCommands + clients,
    confirmPathCommitsPerConfirm: systemOnly === undefined ? undefined : per(commits - systemOnly, confirms),
    settledSlips,
    systemWritesPerSlip: per(systemWrites, settledSlips),
    bookkeepingCommitsPerSlip: per(systemOnly, settledSlips),
    notes,
  };
}

type Samples = readonly { readonly name: string; readonly labels: string; readonly value: number }[];

/** GET /metrics (Prometheus text). Loopback needs no token; with METRICS_TOKEN set in this process, it is sent. */
async function scrape(endpoint: string): Promise<Samples> {
  const token = process.env.METRICS_TOKEN;
  const response = await fetch(`${endpoint}/metrics`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(benchSettings.commandTimeoutMs),
  });
  if (!response.ok) throw new Error(`GET /metrics: ${response.status}`);
  const samples: { name: string; labels: string; value: number }[] = [];
  for (const line of (await response.text()).split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match) samples.push({ name: match[1]!, labels: match[2] ?? "", value: Number(match[3]) });
  }
  return samples;
}

function sumOf(samples: Samples, name: string, keep: (labels: string) => boolean = () => true): number {
  return samples.filter((s) => s.name === name && keep(s.labels)).reduce((sum, s) => sum + s.value, 0);
}

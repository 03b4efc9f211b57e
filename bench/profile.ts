/**
 * `npm run profile` (issue 15, item 3): CPU per confirm by stage. The real server runs under
 * `--cpu-prof` while 64 POS clients confirm as fast as they can and kitchen screens watch; after a
 * graceful stop (so every thread writes its .cpuprofile) the samples of the measuring window are
 * attributed to stages (bench/profile-stages.ts). The profiles stay on disk for Chrome DevTools.
 *
 * PROFILE_SECONDS (10), PROFILE_WARMUP_SECONDS (2), PROFILE_INTERVAL_US (500), PROFILE_CLIENTS (64).
 */
import { Callbacks } from "@colyseus/sdk";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { joinKitchen, type KitchenConnection } from "../clients/kitchen-client.ts";
import { PosClient } from "../clients/pos-client.ts";
import { expectOk, openClient, type BenchClient } from "./confirm-load.ts";
import { attribute, runsFile, stageMeaning, stages, type Attribution, type CpuProfile, type Stage } from "./profile-stages.ts";
import { threadCpuBetween, threadCpuMs, type ThreadCpu } from "./profile-threads.ts";
import { removeBenchDir, startBenchServer, stopBenchServer } from "./server-control.ts";
import { benchSettings, benchStore, confirmLines, sleep, tableId } from "./settings.ts";
import { round, Tally } from "./stats.ts";

const root = resolve(import.meta.dirname, "..");

function numberFromEnv(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max) throw new Error(`${name} must be in (0, ${max}], got ${raw}`);
  return value;
}

const settings = {
  measureMs: numberFromEnv("PROFILE_SECONDS", 10, 600) * 1000,
  warmUpMs: numberFromEnv("PROFILE_WARMUP_SECONDS", 2, 60) * 1000,
  intervalUs: Math.round(numberFromEnv("PROFILE_INTERVAL_US", 500, 100_000)),
  posClients: Math.round(numberFromEnv("PROFILE_CLIENTS", 64, 128)),
  kitchenDisplays: 4,
  topFunctions: 20,
};

/** V8 stamps samples with the monotonic clock in µs; process.hrtime reads the same clock. */
function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

interface Run {
  confirms: number;
  stopped: boolean;
  readonly errors: Tally;
  ticketsShown: number;
  fromUs: number;
  toUs: number;
  counting: boolean;
}

async function confirmLoop(client: BenchClient, run: Run): Promise<void> {
  let consecutiveErrors = 0;
  while (!run.stopped) {
    if (client.confirmsInSession >= benchSettings.confirmsPerSession) {
      await pace(client);
      expectOk(await client.table.command("session.close", { reason: "profile: session rotation" }), `session.close on ${client.tableId}`);
      await pace(client);
      expectOk(await client.table.command("session.open", { guests: 2 }), `session.open on ${client.tableId}`);
      client.confirmsInSession = 0;
    }
    await pace(client);
    const reply = await client.table.command("confirm", { lines: confirmLines }, undefined, benchSettings.commandTimeoutMs);
    if (reply.ok) {
      consecutiveErrors = 0;
      client.confirmsInSession += 1;
      if (run.counting) run.confirms += 1;
    } else {
      run.errors.add(reply.error.code);
      if (++consecutiveErrors >= benchSettings.consecutiveErrorsMax) return;
    }
  }
}

/** The room drops a client past its flood guard: at most clientMessagesPerSecondMax sends a second. */
async function pace(client: BenchClient): Promise<void> {
  const oldest = client.sendTimes[client.sendIndex]!;
  const waitMs = oldest + 1000 - performance.now();
  if (oldest > 0 && waitMs > 0) await sleep(waitMs + 1);
  client.sendTimes[client.sendIndex] = performance.now();
  client.sendIndex = (client.sendIndex + 1) % client.sendTimes.length;
}

async function joinDisplays(endpoint: string, run: Run): Promise<KitchenConnection[]> {
  const user = await PosClient.login(endpoint, benchStore.storeId, benchStore.kitchen.id, benchStore.kitchen.pin);
  const displays: KitchenConnection[] = [];
  for (let i = 0; i < settings.kitchenDisplays; i++) {
    const display = await joinKitchen(user, "all");
    display.startHeartbeat();
    Callbacks.get(display.room).onAdd("tickets", () => {
      if (run.counting) run.ticketsShown += 1;
    });
    displays.push(display);
  }
  return displays;
}

interface ThreadResult {
  readonly file: string;
  readonly attribution: Attribution;
}

function readProfiles(dir: string): { file: string; profile: CpuProfile }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => ({ file: join(dir, f), profile: JSON.parse(readFileSync(join(dir, f), "utf8")) as CpuProfile }));
}

const sources = new Map<string, readonly string[] | undefined>();

/**
 * tsx hands V8 esbuild output whose lines do not match the .ts file (V8 knows nothing of the
 * inline source map), so for project files the line is found by the function's name instead:
 * "storage/outbox.ts:41 (by name)". Anonymous functions keep the generated line:column.
 */
function sourceLocation(location: string, functionName: string, column?: number): string {
  const match = /^(.*\.ts):(\d+)$/.exec(location);
  if (!match || match[1]!.startsWith("node_modules/") || match[1]!.startsWith("node:")) return location;
  const file = match[1]!;
  if (!sources.has(file)) {
    try {
      sources.set(file, readFileSync(join(root, file), "utf8").split("\n"));
    } catch {
      sources.set(file, undefined);
    }
  }
  const lines = sources.get(file);
  const name = functionName.replace(/^(get|set) /, "").replace(/^#/, "");
  if (lines && /^[\w$]+$/.test(name)) {
    const n = name.replace(/\$/g, "\\$");
    const patterns = [
      new RegExp(`\\bfunction\\s*\\*?\\s*${n}\\b`),
      new RegExp(`\\b${n}\\s*=\\s*(async\\s*)?(\\(|function|[\\w$]+\\s*=>)`),
      // A method: modifiers, the name, parameters, and the body opening on the same line.
      new RegExp(`^\\s*((public|private|protected|static|async|override|get|set)\\s+)*\\*?#?${n}\\s*(<[^>]*>)?\\s*\\(.*\\{\\s*$`),
    ];
    for (const pattern of patterns) {
      const index = lines.findIndex((l) => pattern.test(l));
      if (index >= 0) return `${file}:${index + 1}`;
    }
  }
  return column === undefined ? `${location} (generated)` : `${location}:${column} (generated)`;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/**
 * `sampled ms` is the profiler's: wall time the thread was not idle. `CPU µs/confirm` spreads the
 * thread's real CPU (/proc) over the stages by their share of the samples.
 */
function printStages(title: string, a: Attribution, confirms: number, cpuMs: number | undefined): void {
  console.log(`\n${title}: ${round(a.busyMs, 0)} ms not idle of ${round(a.totalMs, 0)} ms sampled (${a.samples} samples); its CPU (/proc): ${cpuMs === undefined ? "n/a" : `${round(cpuMs, 0)} ms`}`);
  console.log(`${pad("stage", 11)} ${pad("sampled ms", 11, true)} ${pad("% busy", 7, true)} ${pad("CPU µs/confirm", 15, true)}  covers`);
  const perConfirm = (ms: number) => (cpuMs === undefined ? "n/a" : String(round(((ms / a.busyMs) * cpuMs * 1000) / Math.max(1, confirms), 0)));
  const rows = stages.filter((s) => s !== "(idle)").sort((x, y) => a.byStage[y] - a.byStage[x]);
  for (const s of rows) {
    const ms = a.byStage[s];
    if (ms === 0) continue;
    console.log(`${pad(s, 11)} ${pad(String(round(ms, 0)), 11, true)} ${pad(String(round((ms / a.busyMs) * 100, 1)), 7, true)} ${pad(perConfirm(ms), 15, true)}  ${stageMeaning[s]}`);
  }
  console.log(`${pad("busy total", 11)} ${pad(String(round(a.busyMs, 0)), 11, true)} ${pad("100", 7, true)} ${pad(perConfirm(a.busyMs), 15, true)}`);
  console.log(`${pad("(idle)", 11)} ${pad(String(round(a.idleMs, 0)), 11, true)}`);
}

function printTop(a: Attribution): void {
  console.log(`\nTop ${settings.topFunctions} functions by self time (main thread, window only):`);
  for (const f of a.functions.slice(0, settings.topFunctions)) {
    console.log(`${pad(String(round(f.selfMs, 0)), 7, true)} ms ${pad(`${round((f.selfMs / a.busyMs) * 100, 1)}%`, 6, true)}  ${pad(f.stage, 10)} ${f.functionName}  ${sourceLocation(f.location, f.functionName, f.column)}`);
  }
  const unmatched = a.functions.filter((f) => f.stage === "other").slice(0, 6);
  if (unmatched.length > 0) console.log(`"other" (no rule matched) is mostly: ${unmatched.map((f) => `${f.functionName} ${f.location} ${round(f.selfMs, 0)} ms`).join("; ")}`);
}

async function main(): Promise<void> {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const resultsDir = resolve(import.meta.dirname, "results");
  const profileDir = join(resultsDir, `profile-${stamp}`);
  mkdirSync(profileDir, { recursive: true });
  // startServer (test/support/server-process.ts) adds SERVER_NODE_ARGS to the server's node: --cpu-prof is refused in NODE_OPTIONS.
  process.env.SERVER_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${profileDir} --cpu-prof-interval=${settings.intervalUs}`;
  console.log(`profiling: ${settings.posClients} POS clients + ${settings.kitchenDisplays} kitchen screens, ${settings.warmUpMs / 1000} s warm-up, ${settings.measureMs / 1000} s measured, sampling every ${settings.intervalUs} µs`);
  const { server, dir } = await startBenchServer();
  const run: Run = { confirms: 0, stopped: false, errors: new Tally(), ticketsShown: 0, fromUs: 0, toUs: 0, counting: false };
  let cpu: ThreadCpu | undefined;
  try {
    const displays = await joinDisplays(server.endpoint, run);
    const clients = await Promise.all(Array.from({ length: settings.posClients }, (_, i) => openClient(server.endpoint, tableId(i + 1))));
    const loops = clients.map((c) => confirmLoop(c, run));
    await sleep(settings.warmUpMs);
    const cpu0 = threadCpuMs(server.child.pid);
    run.counting = true;
    run.fromUs = monotonicUs();
    await sleep(settings.measureMs);
    run.toUs = monotonicUs();
    run.counting = false;
    cpu = threadCpuBetween(server.child.pid, cpu0, threadCpuMs(server.child.pid));
    run.stopped = true;
    await Promise.all(loops);
    for (const c of clients) await c.table.command("session.close", { reason: "profile: done" }).catch(() => undefined);
    await Promise.all([...clients.map((c) => c.table.leave()), ...displays.map((d) => d.leave().catch(() => undefined))]);
  } finally {
    // SIGTERM: the server drains and calls process.exit(0), which is when --cpu-prof writes (SIGKILL would lose it).
    await stopBenchServer(server);
  }
  const exit = await server.exit;
  console.log(`server exited: code ${exit.code} signal ${exit.signal}; its data dir ${dir} is kept only with BENCH_KEEP_DATA=1`);
  removeBenchDir(dir);

  const window = { fromUs: run.fromUs, toUs: run.toUs };
  const profiles = readProfiles(profileDir);
  const main = profiles.find((p) => runsFile(p.profile, root, "/server/main.ts"));
  const writer = profiles.find((p) => runsFile(p.profile, root, "/storage/writer-thread.ts"));
  if (!main) throw new Error(`no main-thread profile in ${profileDir} (files: ${profiles.map((p) => p.file).join(", ") || "none"})`);
  const covers = main.profile.startTime <= window.fromUs && main.profile.endTime >= window.toUs;
  if (!covers) console.log(`WARNING: the window is not inside the profile's time range (clocks differ?): attributing the whole profile`);
  const attributeIn = (profile: CpuProfile) => attribute(profile, root, covers ? window : undefined);
  const mainThread: ThreadResult = { file: main.file, attribution: attributeIn(main.profile) };
  const writerThread: ThreadResult | undefined = writer ? { file: writer.file, attribution: attributeIn(writer.profile) } : undefined;
  const otherThreads = profiles.filter((p) => p !== main && p !== writer).map((p) => ({ file: p.file, busyMs: round(attributeIn(p.profile).busyMs, 0) }));

  const measuredS = (window.toUs - window.fromUs) / 1e6;
  const confirms = run.confirms;
  const m = mainThread.attribution;
  console.log(`\n=== CPU per confirm by stage (machine: ${availableParallelism()} shared cores, load ${loadavg().map((l) => round(l, 1)).join("/")}; other helpers' tests may be running) ===`);
  console.log(`confirms in window: ${confirms} in ${round(measuredS, 2)} s = ${round(confirms / measuredS, 1)}/s; errors ${run.errors.total} ${JSON.stringify(run.errors.toJSON())}; kitchen tickets shown ${run.ticketsShown} (${settings.kitchenDisplays} screens)`);
  const usPer = (ms: number | undefined) => (ms === undefined ? "n/a" : `${round((ms * 1000) / Math.max(1, confirms), 0)} µs/confirm`);
  console.log(`server CPU in window (/proc): process ${round(cpu?.processMs ?? Number.NaN, 0)} ms = ${usPer(cpu?.processMs)}; main thread ${usPer(cpu?.mainMs)}; busiest other thread (the writer) ${usPer(cpu?.busiestOtherMs)}; all threads but the main one (the writer included) ${usPer(cpu?.othersMs)}`);
  printStages("Main thread", m, confirms, cpu?.mainMs);
  if (writerThread) printStages("Writer thread = commit (writer thread); its CPU is the busiest other thread's", writerThread.attribution, confirms, cpu?.busiestOtherMs);
  else console.log("\nWriter thread: no profile found (did the worker exit before the process?)");
  for (const o of otherThreads) console.log(`other thread ${o.file}: ${o.busyMs} ms busy`);
  printTop(m);
  if (writerThread) {
    console.log(`\nTop 8 functions, writer thread:`);
    for (const f of writerThread.attribution.functions.slice(0, 8)) console.log(`${pad(String(round(f.selfMs, 0)), 7, true)} ms  ${pad(f.stage, 10)} ${f.functionName}  ${sourceLocation(f.location, f.functionName, f.column)}`);
  }

  const json = {
    generatedAt: new Date().toISOString(),
    machine: { cpus: availableParallelism(), model: cpus()[0]?.model ?? "unknown", node: process.version, loadavg: loadavg(), note: "2 shared cores; other helpers may be running tests" },
    settings,
    confirms,
    window,
    measuredS: round(measuredS, 3),
    confirmsPerSecond: round(confirms / measuredS, 1),
    errors: { total: run.errors.total, byCode: run.errors.toJSON() },
    kitchenTicketsShown: run.ticketsShown,
    serverCpu: cpu,
    stageMeaning,
    threads: [
      { thread: "main", ...summarize(mainThread, confirms, cpu?.mainMs) },
      ...(writerThread ? [{ thread: "writer", stage: "commit (writer thread)", ...summarize(writerThread, confirms, cpu?.busiestOtherMs) }] : []),
    ],
    otherThreads,
    profileDir,
  };
  const file = join(resultsDir, `profile-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`\nresults: ${file}\nprofiles (open in Chrome DevTools → Performance): ${profileDir}`);
}

function summarize(t: ThreadResult, confirms: number, cpuMs: number | undefined) {
  const a = t.attribution;
  const cpuUsPerConfirm = (ms: number) => (cpuMs === undefined ? null : round(((ms / a.busyMs) * cpuMs * 1000) / Math.max(1, confirms), 1));
  return {
    file: t.file,
    samples: a.samples,
    sampledBusyMs: round(a.busyMs, 1),
    idleMs: round(a.idleMs, 1),
    cpuMs: cpuMs === undefined ? null : round(cpuMs, 1),
    cpuUsPerConfirm: cpuUsPerConfirm(a.busyMs),
    stages: Object.fromEntries(stages.map((s) => [s, {
      sampledMs: round(a.byStage[s], 1),
      percentOfBusy: s === "(idle)" ? null : round((a.byStage[s] / a.busyMs) * 100, 1),
      cpuUsPerConfirm: s === "(idle)" ? null : cpuUsPerConfirm(a.byStage[s]),
    }])),
    topFunctions: a.functions.slice(0, 40).map((f) => ({ ...f, source: sourceLocation(f.location, f.functionName, f.column), selfMs: round(f.selfMs, 1) })),
  };
}

await main();

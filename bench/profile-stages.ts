/**
 * Pure attribution of a V8 .cpuprofile (what `node --cpu-prof` writes) to the stages of a confirm
 * (issue 15, item 3). No I/O: bench/profile.ts reads the files and prints.
 *
 * Precedence: a sample's SELF time goes to the stage of the innermost frame of its stack that a
 * rule matches. Frames no rule matches (node:internal, V8 builtins such as JSON.stringify or
 * Array.prototype.map, colyseus plumbing that is neither receive nor send) pass the sample on to
 * their caller, so a zod parse called from a room is "validate" and a SQLite write called from a
 * room is "commit". A stack with no matching frame at all is "other".
 */

export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  /** 0-based, as V8 writes it. */
  readonly lineNumber: number;
  readonly columnNumber: number;
  readonly scriptId?: string | number;
}

export interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
  readonly hitCount?: number;
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  /** µs on the monotonic clock (the same clock as process.hrtime in any process on the machine). */
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  /** µs since the previous sample (the first: since startTime). */
  readonly timeDeltas: readonly number[];
}

export const stages = [
  "decode", "validate", "decide", "rooms", "commit", "encode", "fan-out", "printing", "gc", "(program)", "other", "(idle)",
] as const;
export type Stage = (typeof stages)[number];

/** What each stage covers, for the printed table and the JSON. */
export const stageMeaning: Record<Stage, string> = {
  decode: "ws frame receive, msgpackr unpack, colyseus message dispatch",
  validate: "zod, protocol/ (schemas, size measure)",
  decide: "domain/",
  rooms: "room orchestration: rooms/ except kitchen/floor/admin",
  commit: "storage/, better-sqlite3, kysely, postMessage to the writer (structured clone)",
  encode: "@colyseus/schema encoder, msgpackr pack, colyseus Protocol",
  "fan-out": "ws send, colyseus send/broadcast/patch, rooms/kitchen|floor|admin, outbox relay",
  printing: "printers/, server/printing/, iconv-lite, node-thermal-printer",
  gc: "(garbage collector)",
  "(program)": "V8/native time with no JS frame",
  other: "no rule matched anywhere on the stack",
  "(idle)": "waiting for events (excluded from busy)",
};

interface Rule {
  readonly stage: Stage;
  /** Substring of the normalized url ("" matches builtins, which have no url). */
  readonly path: string;
  /** When given, the function name must match too. */
  readonly fn?: RegExp;
}

// Order matters only within one frame: the first rule that matches the frame wins.
const rules: readonly Rule[] = [
  { stage: "gc", path: "", fn: /^\(garbage collector\)$/ },
  { stage: "(idle)", path: "", fn: /^\(idle\)$/ },
  { stage: "(program)", path: "", fn: /^\(program\)$/ },
  // A builtin with no url: the structured clone of a message to the writer thread runs inside it.
  { stage: "commit", path: "", fn: /^postMessage$/ },
  // The project (urls are normalized to start at the repository root, see normalizeUrl).
  { stage: "printing", path: "/printers/" },
  { stage: "printing", path: "/server/printing/" },
  { stage: "fan-out", path: "/rooms/kitchen/" },
  { stage: "fan-out", path: "/rooms/floor/" },
  { stage: "fan-out", path: "/rooms/admin/" },
  { stage: "fan-out", path: "/server/outbox-relay.ts" },
  { stage: "decide", path: "/domain/" },
  { stage: "validate", path: "/protocol/" },
  { stage: "rooms", path: "/rooms/" },
  { stage: "commit", path: "/storage/" },
  // Dependencies.
  { stage: "validate", path: "/node_modules/zod/" },
  { stage: "commit", path: "/node_modules/better-sqlite3/" },
  { stage: "commit", path: "/node_modules/kysely/" },
  { stage: "encode", path: "/node_modules/@colyseus/schema/" },
  { stage: "decode", path: "/node_modules/msgpackr/unpack.js" },
  { stage: "encode", path: "/node_modules/msgpackr/pack.js" },
  { stage: "decode", path: "/node_modules/msgpackr/", fn: /unpack|read|decode/i },
  { stage: "encode", path: "/node_modules/msgpackr/" },
  { stage: "decode", path: "/node_modules/ws/lib/receiver.js" },
  { stage: "decode", path: "/node_modules/ws/lib/permessage-deflate.js", fn: /decompress|inflate/i },
  { stage: "fan-out", path: "/node_modules/ws/lib/permessage-deflate.js" },
  { stage: "fan-out", path: "/node_modules/ws/lib/sender.js" },
  { stage: "fan-out", path: "/node_modules/ws/lib/websocket.js", fn: /send|write|ping|pong/i },
  { stage: "decode", path: "/node_modules/ws/lib/websocket.js", fn: /receiver|message|ondata|socketOnData/i },
  { stage: "decode", path: "/node_modules/@colyseus/core/", fn: /onMessage|_onMessage|decode/i },
  { stage: "fan-out", path: "/node_modules/@colyseus/core/", fn: /send|broadcast|patch|flush|enqueue|raw|reply/i },
  { stage: "encode", path: "/node_modules/@colyseus/core/build/Protocol." },
  { stage: "decode", path: "/node_modules/@colyseus/ws-transport/", fn: /onMessage|message/i },
  { stage: "fan-out", path: "/node_modules/@colyseus/ws-transport/", fn: /send|enqueue|raw|broadcast/i },
  { stage: "printing", path: "/node_modules/iconv-lite/" },
  { stage: "printing", path: "/node_modules/node-thermal-printer/" },
];

/** file:///work/main/rooms/x.ts → /rooms/x.ts (any checkout path); node_modules stay as /node_modules/…. */
export function normalizeUrl(url: string, root: string): string {
  let path = url.startsWith("file://") ? decodeURIComponent(url.slice("file://".length)) : url;
  const modules = path.lastIndexOf("/node_modules/");
  if (modules >= 0) return path.slice(modules);
  if (root && path.startsWith(root)) path = path.slice(root.endsWith("/") ? root.length - 1 : root.length);
  return path;
}

/** The stage one frame matches on its own, or undefined: it passes its sample to its caller. */
export function frameStage(frame: CallFrame, root: string): Stage | undefined {
  const path = normalizeUrl(frame.url, root);
  // Project rules ("/domain/", "/rooms/") hold only for files of this checkout, not any path with that word.
  const inProject = !path.startsWith("/node_modules/") && frame.url.startsWith(`file://${root.replace(/\/$/, "")}/`);
  for (const rule of rules) {
    if (rule.path === "" ? path !== "" : !path.includes(rule.path)) continue;
    if (rule.path !== "" && !rule.path.startsWith("/node_modules/") && !inProject) continue;
    if (rule.fn && !rule.fn.test(frame.functionName)) continue;
    return rule.stage;
  }
  return undefined;
}

export interface FunctionCost {
  readonly functionName: string;
  /** repository-relative path : 1-based line, as V8 saw the file (for tsx-compiled .ts: esbuild's output). */
  readonly location: string;
  /** 1-based column in that file. */
  readonly column: number;
  readonly stage: Stage;
  readonly selfMs: number;
}

export interface Attribution {
  readonly samples: number;
  /** Sum of sample durations inside the window, idle included. */
  readonly totalMs: number;
  readonly idleMs: number;
  readonly busyMs: number;
  readonly byStage: Record<Stage, number>;
  /** Self time per function (not per stage), busiest first. */
  readonly functions: readonly FunctionCost[];
}

export interface Window {
  /** µs, profile clock. */
  readonly fromUs: number;
  readonly toUs: number;
}

/**
 * Self time per stage (ms). A sample lasts until the next one (the last: until endTime), as
 * DevTools counts it. With a window, only samples taken inside it count.
 */
export function attribute(profile: CpuProfile, root: string, window?: Window): Attribution {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const stageOf = new Map<number, Stage>();
  const resolveStage = (id: number): Stage => {
    const known = stageOf.get(id);
    if (known) return known;
    const node = byId.get(id);
    const own = node ? frameStage(node.callFrame, root) : undefined;
    const up = parent.get(id);
    const stage = own ?? (up === undefined ? "other" : resolveStage(up));
    stageOf.set(id, stage);
    return stage;
  };
  const byStage = Object.fromEntries(stages.map((s) => [s, 0])) as Record<Stage, number>;
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  let counted = 0;
  const n = profile.samples.length;
  for (let i = 0; i < n; i++) {
    at += profile.timeDeltas[i] ?? 0;
    const next = i + 1 < n ? at + (profile.timeDeltas[i + 1] ?? 0) : profile.endTime;
    const duration = Math.max(0, next - at);
    if (window && (at < window.fromUs || at > window.toUs)) continue;
    const id = profile.samples[i]!;
    counted += 1;
    byStage[resolveStage(id)] += duration;
    selfUs.set(id, (selfUs.get(id) ?? 0) + duration);
  }
  // Per function: nodes of one function under different callers are summed.
  const perFunction = new Map<string, { frame: CallFrame; stage: Stage; us: number }>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const f = node.callFrame;
    const key = `${f.functionName}\u0000${f.url}\u0000${f.lineNumber}\u0000${f.columnNumber}`;
    const entry = perFunction.get(key) ?? { frame: f, stage: resolveStage(id), us: 0 };
    entry.us += us;
    perFunction.set(key, entry);
  }
  const functions = [...perFunction.values()]
    .filter((e) => e.stage !== "(idle)")
    .sort((a, b) => b.us - a.us)
    .map((e): FunctionCost => ({
      functionName: e.frame.functionName || "(anonymous)",
      location: e.frame.url ? `${normalizeUrl(e.frame.url, root).replace(/^\//, "")}:${e.frame.lineNumber + 1}` : "(native)",
      column: e.frame.columnNumber + 1,
      stage: e.stage,
      selfMs: e.us / 1000,
    }));
  const ms = Object.fromEntries(stages.map((s) => [s, byStage[s] / 1000])) as Record<Stage, number>;
  const totalMs = stages.reduce((sum, s) => sum + ms[s], 0);
  return { samples: counted, totalMs, idleMs: ms["(idle)"], busyMs: totalMs - ms["(idle)"], byStage: ms, functions };
}

/** Does this profile run a file whose normalized path contains `needle` (to tell threads apart)? */
export function runsFile(profile: CpuProfile, root: string, needle: string): boolean {
  return profile.nodes.some((n) => normalizeUrl(n.callFrame.url, root).includes(needle));
}

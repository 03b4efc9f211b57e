import { suite } from "uvu";
import * as assert from "uvu/assert";
import { attribute, frameStage, normalizeUrl, type CallFrame, type CpuProfile, type Stage } from "../../bench/profile-stages.ts";

// Issue 15, item 3: `npm run profile` attributes each sample's self time to a stage by its stack.
// A tiny hand-made profile: every sample lasts 1 ms, so a stage's ms is its number of samples.
const t = suite("profile stages");
const root = "/repo";

const frame = (functionName: string, url: string): CallFrame => ({ functionName, url, lineNumber: 0, columnNumber: 0 });
const project = (path: string) => `file://${root}${path}`;
const dep = (path: string) => `file://${root}/node_modules/${path}`;

/** A profile of chains (outermost frame first): one node per frame, one 1 ms sample on each chain's innermost node. */
function profileOf(chains: readonly (readonly CallFrame[])[]): CpuProfile {
  const nodes: { id: number; callFrame: CallFrame; children: number[] }[] = [{ id: 1, callFrame: frame("(root)", ""), children: [] }];
  const samples: number[] = [];
  for (const chain of chains) {
    let parent = nodes[0]!;
    for (const f of chain) {
      const node = { id: nodes.length + 1, callFrame: f, children: [] as number[] };
      nodes.push(node);
      parent.children.push(node.id);
      parent = node;
    }
    samples.push(parent.id);
  }
  return { nodes, startTime: 0, endTime: (samples.length + 1) * 1000, samples, timeDeltas: samples.map(() => 1000) };
}

/** The stage a single stack (outermost first) gets. */
function stageOfStack(...chain: CallFrame[]): Stage {
  const a = attribute(profileOf([chain]), root);
  const hit = Object.entries(a.byStage).filter(([, ms]) => ms > 0);
  assert.is(hit.length, 1, `one stage for ${chain.map((f) => f.functionName).join(" > ")}`);
  return hit[0]![0] as Stage;
}

t("each rule: a frame alone gets its stage", () => {
  const cases: [CallFrame, Stage][] = [
    [frame("getInt", dep("ws/lib/receiver.js")), "decode"],
    [frame("unpack", dep("msgpackr/unpack.js")), "decode"],
    [frame("_onMessage", dep("@colyseus/core/build/Room.mjs")), "decode"],
    [frame("parse", dep("zod/v4/core/schemas.js")), "validate"],
    [frame("measurePlain", project("/protocol/measure.ts")), "validate"],
    [frame("decideConfirm", project("/domain/session/decide.ts")), "decide"],
    [frame("syncSession", project("/rooms/table/state-sync.ts")), "rooms"],
    [frame("enqueue", project("/storage/print-store.ts")), "commit"],
    [frame("run", dep("better-sqlite3/lib/methods/wrappers.js")), "commit"],
    [frame("postMessage", ""), "commit"],
    [frame("encode", dep("@colyseus/schema/build/index.mjs")), "encode"],
    [frame("pack", dep("msgpackr/pack.js")), "encode"],
    [frame("sendFrame", dep("ws/lib/sender.js")), "fan-out"],
    [frame("broadcastPatch", dep("@colyseus/core/build/Room.mjs")), "fan-out"],
    [frame("#replyToRequest", dep("@colyseus/core/build/RoomMessages.mjs")), "fan-out"],
    [frame("apply", project("/rooms/kitchen/board.ts")), "fan-out"],
    [frame("render", project("/printers/slip/render.ts")), "printing"],
    [frame("drain", project("/server/printing/printer-actor.ts")), "printing"],
    [frame("(garbage collector)", ""), "gc"],
    [frame("(program)", ""), "(program)"],
    [frame("(idle)", ""), "(idle)"],
  ];
  for (const [f, stage] of cases) assert.is(stageOfStack(f), stage, `${f.functionName} ${f.url}`);
});

t("precedence: the innermost matching frame decides; unmatched frames pass to their caller", () => {
  const room = frame("execute", project("/rooms/table/table-room.ts"));
  // zod called from a room is validate, a room called by colyseus dispatch is rooms.
  assert.is(stageOfStack(frame("_onMessage", dep("@colyseus/core/build/Room.mjs")), room, frame("parse", dep("zod/v4/core/schemas.js"))), "validate");
  assert.is(stageOfStack(frame("_onMessage", dep("@colyseus/core/build/Room.mjs")), room), "rooms");
  // A builtin (JSON.stringify) and node internals under storage are commit, under the ws sender fan-out.
  assert.is(stageOfStack(room, frame("append", project("/storage/outbox.ts")), frame("stringify", "")), "commit");
  assert.is(stageOfStack(frame("sendFrame", dep("ws/lib/sender.js")), frame("writeGeneric", "node:internal/stream_base_commons"), frame("writev", "")), "fan-out");
  // The schema encoder inside a patch broadcast is encode, not fan-out.
  assert.is(stageOfStack(frame("broadcastPatch", dep("@colyseus/core/build/Room.mjs")), frame("encode", dep("@colyseus/schema/build/index.mjs"))), "encode");
  // Nothing on the stack matches: other.
  assert.is(stageOfStack(frame("processTimers", "node:internal/timers"), frame("listOnTimeout", "node:internal/timers")), "other");
});

t("idle is counted apart and not in busy; a window keeps only its samples", () => {
  const busy = [frame("decideConfirm", project("/domain/session/decide.ts"))];
  const idle = [frame("(idle)", "")];
  const profile = profileOf([busy, idle, idle, busy, busy]);
  const a = attribute(profile, root);
  assert.is(a.totalMs, 5);
  assert.is(a.idleMs, 2);
  assert.is(a.busyMs, 3);
  assert.is(a.byStage.decide, 3);
  assert.ok(a.functions.every((f) => f.stage !== "(idle)"), "idle is not a function to cut");
  assert.is(a.functions[0]!.functionName, "decideConfirm");
  assert.is(a.functions[0]!.selfMs, 3);
  // Samples are taken at 1, 2, 3, 4, 5 ms: the window [2 ms, 4 ms] holds the 2nd to 4th.
  const w = attribute(profile, root, { fromUs: 2000, toUs: 4000 });
  assert.is(w.samples, 3);
  assert.is(w.idleMs, 2);
  assert.is(w.byStage.decide, 1);
});

t("urls are made relative to the checkout; dependencies keep their node_modules path", () => {
  assert.is(normalizeUrl(project("/rooms/table/table-room.ts"), root), "/rooms/table/table-room.ts");
  assert.is(normalizeUrl("file:///elsewhere/node_modules/ws/lib/sender.js", root), "/node_modules/ws/lib/sender.js");
  // A project path that merely contains a stage's word elsewhere is not matched by it.
  assert.is(frameStage(frame("x", "file:///home/domain/app/rooms-like.ts"), root), undefined);
});

t.run();

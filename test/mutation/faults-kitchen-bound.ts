import type { Fault } from "./faults.ts";

/** Issue 15 item 4: the synced kitchen state stays bounded through a day of bumps. */
const bounded = [["test/rooms", "kitchen-bounded|kitchen-bumped-sync"]] as const;

export const faults: readonly Fault[] = [
  {
    id: "kitchen-bumped-unbounded",
    rule: "the kitchen state keeps at most bumpedKeptMax bumped ids; older ones stay on the board only",
    file: "rooms/kitchen/board-view.ts",
    find: "    .slice(-kitchenLimits.bumpedKeptMax)\n",
    replace: "",
    tests: bounded,
  },
  {
    id: "kitchen-bumped-rewritten-per-bump",
    rule: "a bump moves the synced bumped list by one id instead of resending the whole list to every screen",
    file: "rooms/kitchen/board-view.ts",
    find: "  if (survivors.every((id, i) => bumped[i] === id)) {",
    replace: "  if (survivors.length < 0) {",
    tests: bounded,
  },
  {
    id: "kitchen-bumped-inserted-in-place",
    rule: "a recall that brings an older id back rewrites the list (an in-place insert decodes out of order)",
    file: "rooms/kitchen/board-view.ts",
    find: "    view.bumped.splice(0, view.bumped.length, ...bumped);\n  }",
    replace: "    for (let i = view.bumped.length - 1; i >= 0; i--) if (!wanted.has(view.bumped[i]!)) view.bumped.splice(i, 1);\n    bumped.forEach((id, i) => { if (view.bumped[i] !== id) view.bumped.splice(i, 0, id); });\n  }",
    tests: bounded,
  },
];

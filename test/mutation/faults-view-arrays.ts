import type { Fault } from "./faults.ts";

/** rooms/table/view-arrays.ts: the schema-view workaround that sends a new draft line's options. */
export const faults: readonly Fault[] = [
  {
    id: "draft-line-options-not-revealed",
    rule: "a draft line's option ids and names reach every staff terminal already in the room",
    file: "rooms/table/table-room.ts",
    find: "      revealLineArrays(this.clients, this.state);\n",
    replace: "",
    tests: [["test/rooms", "draft-and-confirm"]],
  },
];

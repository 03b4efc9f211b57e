import { suite } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { Decoder, Encoder } from "@colyseus/schema";
import { KitchenState } from "../../rooms/kitchen/kitchen-state.ts";
import { syncBumped, type ViewScope } from "../../rooms/kitchen/board-view.ts";
import type { BoardTicket } from "../../rooms/kitchen/board.ts";
import { kitchenLimits } from "../../rooms/kitchen/limits.ts";

// The synced `bumped` list through the real schema encoder and decoder: a screen decodes exactly the
// newest `bumpedKeptMax` bumped ids, whatever mix of bumps and recalls one patch carries.
const t = suite("kitchen bumped list: bounded, and decoded as the server holds it");

const scope: ViewScope = { storeId: "s1", stationId: "", tableName: (id) => id, urgentAfterMs: 60_000, lateServeAfterMs: 60_000 };
const keep = kitchenLimits.bumpedKeptMax;

function ticket(n: number): BoardTicket {
  return {
    ticketId: `0193a4f2-7c1e-7b3d-9f00-${String(n).padStart(12, "0")}-kitchen`, storeId: "s1", sessionId: "x", tableId: "T1", batchId: `b${n}`, batchNo: n,
    stationId: "kitchen", kind: "new", source: "pos", itemIds: [], createdAt: new Date(0).toISOString(), bumpedAt: null, printStatus: "", payment: "",
  };
}

/** A screen: the room's state and encoder on one side, a client's decoder on the other. */
function screen() {
  const state = new KitchenState();
  const encoder = new Encoder(state);
  const decoder = new Decoder(new KitchenState());
  const patch = (): number => {
    const bytes = encoder.encode();
    decoder.decode(bytes);
    encoder.discardChanges();
    return bytes.length;
  };
  patch();
  return { state, patch, decoded: (): string[] => [...(decoder.state as unknown as { bumped: Iterable<string> }).bumped], fullBytes: () => encoder.encodeAll().length };
}

const step = fc.record({ bumps: fc.nat({ max: 6 }), recalls: fc.array(fc.nat({ max: keep + 10 }), { maxLength: 3 }) });

t("any mix of bumps and recalls per patch: the screen decodes the newest bumped ids, never more than the bound", () => {
  fc.assert(
    fc.property(fc.array(step, { minLength: 30, maxLength: 90, size: "max" }), (steps) => {
      const tickets = new Map<string, BoardTicket>();
      const view = screen();
      let next = 0;
      let clock = 0;
      for (const { bumps, recalls } of steps) {
        for (let i = 0; i < bumps; i++) {
          const created = ticket(next++);
          created.bumpedAt = new Date(++clock).toISOString();
          tickets.set(created.ticketId, created);
        }
        const bumpedNow = [...tickets.values()].filter((x) => x.bumpedAt !== null);
        for (const back of recalls) {
          const target = bumpedNow[bumpedNow.length - 1 - back];
          if (target) target.bumpedAt = null;
        }
        syncBumped(view.state, { tickets }, scope);
        view.patch();
        const expected = [...tickets.values()].filter((x) => x.bumpedAt !== null).map((x) => x.ticketId).slice(-keep);
        assert.equal([...view.state.bumped], expected, "the room's list");
        assert.equal(view.decoded(), expected, "the screen's decoded list");
      }
    }),
    { numRuns: 150 },
  );
});

t("a day of bumps: the full state stays flat and each bump patch carries one id, not the list", () => {
  const tickets = new Map<string, BoardTicket>();
  const view = screen();
  const idBytes = Buffer.byteLength(ticket(0).ticketId);
  const sizes: number[] = [];
  for (let n = 0; n < 5 * keep; n++) {
    const bumped = ticket(n);
    bumped.bumpedAt = new Date(n + 1).toISOString();
    tickets.set(bumped.ticketId, bumped);
    syncBumped(view.state, { tickets }, scope);
    const patchBytes = view.patch();
    assert.ok(patchBytes <= 2 * (idBytes + 4) + 8, `bump ${n}: a patch of ${patchBytes} B`);
    sizes.push(view.fullBytes());
  }
  assert.is(view.state.bumped.length, keep);
  // The empty state plus `keep` ids, each with its op, index and string header (≤ 4 bytes), and
  // the array's own reference once it has entries (≤ 8 bytes).
  const bound = screen().fullBytes() + keep * (idBytes + 4) + 8;
  assert.ok(Math.max(...sizes) <= bound, `full state up to ${Math.max(...sizes)} B, bound ${bound} B`);
  assert.is(sizes.at(-1), sizes[keep - 1], "no growth once the bound is reached");
});

t.run();

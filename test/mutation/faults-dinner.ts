import type { Fault } from "./faults.ts";

/**
 * The whole dinner across the four screens (issue 14 "Done when"). test/browser/dinner.test.ts
 * rebuilds web/dist when a source is newer than the build (a mutation run's copy has none), so the
 * faulty page is the one served.
 */
const dinner = [["test/browser", "dinner"]] as const;

export const faults: readonly Fault[] = [
  {
    id: "dinner-kds-bump-sends-nothing",
    rule: "the kitchen screen's bump sends ticket.bump, so a cooked ticket leaves the screen",
    file: "web/src/kds/ticket-card.tsx",
    find: `if (await sendKitchen(client, \`bump:\${id}\`, "ticket.bump", { ticketId: id })) forgetRecalled(id);`,
    replace: `if (false as boolean) forgetRecalled(id);`,
    tests: dinner,
  },
  {
    id: "dinner-pos-serve-sends-nothing",
    rule: "the POS's serve button on a cooked item sends item.serve, so the item shows served",
    file: "web/src/pos/order-list.tsx",
    find: `onClick={() => void ctx.run("item.serve", { itemIds: [item.itemId], ...decidedOn(ctx.state) })}`,
    replace: `onClick={() => undefined}`,
    tests: dinner,
  },
];

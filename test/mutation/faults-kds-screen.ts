import type { Fault } from "./faults.ts";

/**
 * The kitchen display page (issue 14 item 2). test/browser/kds.test.ts rebuilds web/dist when a
 * source is newer than the build (a mutation run's copy has no web/dist), so the faulty page is
 * the one served.
 */
const kdsPage = [["test/browser", "kds"]] as const;

export const faults: readonly Fault[] = [
  {
    id: "kds-ignores-delta",
    rule: "a change or cancel of an earlier ticket is visibly different: coloured header and its kind in words",
    file: "web/src/kds/ticket-card.tsx",
    find: `const delta = kind !== "new";`,
    replace: `const delta = false;`,
    tests: kdsPage,
  },
  {
    id: "kds-bump-wrong-ticket",
    rule: "bump sends the id of the ticket whose button was pressed",
    file: "web/src/kds/ticket-card.tsx",
    find: `"ticket.bump", { ticketId: id }`,
    replace: `"ticket.bump", { ticketId: [...document.querySelectorAll("article.ticket")].at(-1)?.getAttribute("data-ticket-id") ?? id }`,
    tests: kdsPage,
  },
  {
    id: "kds-cancelled-not-struck",
    rule: "a cancelled item is struck through",
    file: "web/src/kds/item-row.tsx",
    find: `{cancelled ? <del>{name}</del> : name}`,
    replace: `{name}`,
    tests: kdsPage,
  },
  {
    id: "kds-no-source-badge",
    rule: "a QR or app order carries its own badge (R-TLL-2)",
    file: "web/src/kds/source-badge.tsx",
    find: `const kind = source === "qr" || source === "app" ? source : "pos";`,
    replace: `const kind = "pos";`,
    tests: kdsPage,
  },
  {
    id: "kds-86-not-sold-out",
    rule: "the 86 toggle marks the item sold out, so the POS's confirm is refused",
    file: "web/src/kds/stock-panel.tsx",
    find: `{ soldOut: true, remaining: remaining >= 0 ? remaining : null }`,
    replace: `{ soldOut: false, remaining: remaining >= 0 ? remaining : null }`,
    tests: kdsPage,
  },
  {
    id: "kds-newest-first",
    rule: "tickets are shown oldest first",
    file: "web/src/kds/kitchen-screen.tsx",
    find: `return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1`,
    replace: `return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1`,
    tests: kdsPage,
  },
  {
    id: "kds-stale-children",
    rule: "in-place state changes re-render the panels (a signal-reading component skips identical props)",
    file: "web/src/kds/kitchen-screen.tsx",
    find: `<AllDayPanel allDay={state.allDay} rev={view.revision} />`,
    replace: `<AllDayPanel allDay={state.allDay} />`,
    tests: kdsPage,
  },
];

import type { Fault } from "./faults.ts";

// The QR order page (issue 14 item 3). test/browser/order.test.ts builds web/ itself in its before
// hook, so a fault in web/src reaches the page the browser loads (the scratch copy has no web/dist).
const orderTest = [["test/browser", "order.test"]] as const;

export const faults: readonly Fault[] = [
  {
    id: "order-page-sold-out-orderable",
    rule: "a sold-out item cannot be put in the cart from the page",
    file: "web/src/order/menu-view.tsx",
    find: "disabled={soldOut} onClick=",
    replace: "disabled={false} onClick=",
    tests: orderTest,
  },
  {
    id: "order-page-ignores-runtime-86",
    rule: "an item 86'd at runtime (the room's stock) is marked sold out like a config one",
    file: "web/src/order/availability.ts",
    find: "item.soldOut || runtime?.soldOut === true || remaining === 0",
    replace: "item.soldOut || remaining === 0",
    tests: orderTest,
  },
  {
    id: "order-page-pay-wrong-total",
    rule: "cart.pay carries the cart total the guest saw as expectedTotalWon",
    file: "web/src/order/table-page.tsx",
    find: "{ method: \"card\", expectedTotalWon: shownTotalWon }",
    replace: "{ method: \"card\", expectedTotalWon: shownTotalWon + 1000 }",
    tests: orderTest,
  },
  {
    id: "order-page-no-sent-state",
    rule: "a confirmed cart shows the clear \"sent to the kitchen\" state",
    file: "web/src/order/table-page.tsx",
    find: "if (data) setSent({ batchNo: data.batchNo, totalWon: data.totalWon, paid: pay });",
    replace: "void data;",
    tests: orderTest,
  },
  {
    id: "order-page-exchanges-on-reload",
    rule: "a reload reuses the customer token kept for the table token (no second exchange)",
    file: "web/src/order/access.ts",
    find: "const kept = remembered(tableToken);",
    replace: "const kept = null;",
    tests: orderTest,
  },
  {
    id: "order-page-raw-code",
    rule: "a refusal is shown in words, never as its wire code",
    file: "web/src/order/refusals.ts",
    find: "return words(\"RATE_LIMITED\", { s:",
    replace: "return code || words(\"RATE_LIMITED\", { s:",
    tests: orderTest,
  },
  {
    id: "order-page-dead-link-unexplained",
    rule: "a forged or rotated link gets the dead-link message, not a generic failure",
    file: "web/src/order/app.tsx",
    find: "if (error.status === 401 || error.status === 400 || error.status === 403) return \"deadLink\";",
    replace: "",
    tests: orderTest,
  },
  {
    id: "guest-menu-leaks-tables",
    rule: "the guest menu route shows only the menu (no tables, stations or staff)",
    file: "server/qr/guest-menu.ts",
    find: "return { storeId: store.id, storeName: store.name, qrPayment: store.qrPayment, menu };",
    replace: "return { storeId: store.id, storeName: store.name, qrPayment: store.qrPayment, menu, tables: [...store.tables.values()] } as GuestMenu;",
    tests: orderTest,
  },
];

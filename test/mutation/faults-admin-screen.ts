import type { Fault } from "./faults.ts";

/**
 * The admin console (issue 14 item 4): its HTTP routes (server/admin-audit-routes.ts) and its page.
 * test/browser/admin.test.ts rebuilds the admin page when a source is newer than web/dist (a
 * mutation run's copy has no web/dist), so the faulty page is the one served.
 */
const routes = [["test/server", "admin-audit-routes"]] as const;
const adminPage = [["test/browser", "admin\\.test"]] as const;

export const faults: readonly Fault[] = [
  {
    id: "admin-verify-ignores-hash",
    rule: "the chain check reports a row whose content no longer matches its hash",
    file: "storage/audit.ts",
    find: "if (chainHash(prev, row) !== row.hash) return { ok: false, rows, problem: `row ${row.seq} was altered` };",
    replace: "",
    tests: routes,
  },
  {
    id: "admin-audit-other-stores",
    rule: "the audit page holds the caller's store's rows only",
    file: "storage/audit-page.ts",
    find: "from audit_log where store_id = ? and seq < ?",
    replace: "from audit_log where (store_id = ? or 1) and seq < ?",
    tests: routes,
  },
  {
    id: "admin-audit-paging-skips",
    rule: "keyset paging continues right after the last row shown (no gap)",
    file: "server/admin-audit-routes.ts",
    find: "rows[rows.length - 1]!.seq : null",
    replace: "rows[rows.length - 1]!.seq - 1 : null",
    tests: routes,
  },
  {
    id: "admin-routes-any-role",
    rule: "only an admin may read the audit log, check the chain or list the staff",
    file: "server/admin-audit-routes.ts",
    find: `const admin = requireAccess(deps, ["admin"]);`,
    replace: `const admin = requireAccess(deps, ["admin", "staff", "kitchen"]);`,
    tests: routes,
  },
  {
    id: "admin-staff-shows-pin",
    rule: "the staff list never carries a PIN",
    file: "server/admin-audit-routes.ts",
    find: "({ id: s.id, name: s.name, role: s.role })",
    replace: "({ ...s })",
    tests: routes,
  },
  {
    id: "admin-reprint-sends-retry",
    rule: "the reprint button sends print.reprint (a marked copy), not print.retry",
    file: "web/src/admin/print-log.tsx",
    find: `"print.reprint", { slipKey: key }`,
    replace: `"print.retry", { slipKey: key }`,
    tests: adminPage,
  },
  {
    id: "admin-86-not-sold-out",
    rule: "the page's 86 toggle marks the item sold out, so the POS's confirm is refused",
    file: "web/src/admin/menu-stock.tsx",
    find: "{ soldOut: true, remaining: remaining >= 0 ? remaining : null }",
    replace: "{ soldOut: false, remaining: remaining >= 0 ? remaining : null }",
    tests: adminPage,
  },
  {
    id: "admin-close-warnings-hidden",
    rule: "the daily close shows its warnings in words",
    file: "web/src/admin/sales-report.tsx",
    find: "{warnings && <CloseWarnings",
    replace: "{false && warnings && <CloseWarnings",
    tests: adminPage,
  },
  {
    id: "admin-rotate-without-confirm",
    rule: "rotating the QR secret asks first (every printed code stops working)",
    file: "web/src/admin/qr-codes.tsx",
    find: `disabled={step === "busy"} onClick={() => setStep("confirm")}`,
    replace: `disabled={step === "busy"} onClick={rotate}`,
    tests: adminPage,
  },
  {
    id: "admin-print-failed-silent",
    rule: "a failed slip toasts in the console (R-KRP-2)",
    file: "web/src/admin/console.tsx",
    find: `if (notice.kind === "print_failed") toast(`,
    replace: `if (notice.kind === ("never" as string)) toast(`,
    tests: adminPage,
  },
];

// Node 20 has no global WebSocket; the Colyseus SDK's reconnection reads it (as server/main.ts does).
import { WebSocket } from "ws";
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

import { printPaymentsReport, writePaymentsResults } from "./payments-report.ts";
import { runPaymentsBench } from "./payments-run.ts";

/**
 * `npx tsx bench/payments.ts`: the payments part of `npm run bench` alone (issue #11): payments/s and
 * payment.start latency at 16 and 64 terminals beside the raw better-sqlite3 ceiling, then the
 * reconciliation of 10,000 open card intents beside the raw provider round trips. Writes
 * bench/results/payments-latest.json. See bench/README.md "Payments".
 */
runPaymentsBench().then(
  (results) => {
    const file = writePaymentsResults(results);
    printPaymentsReport(results);
    console.log(`results: ${file}`);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

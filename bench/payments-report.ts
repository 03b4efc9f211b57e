import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { PaymentsOutcome, PaymentsResults } from "./payments-run.ts";
import { paymentsSettings as s } from "./payments-settings.ts";
import type { LatencySummary } from "./stats.ts";

/** The payments tables, in the style of the confirm report (report.ts). */
export function printPaymentsReport(outcome: PaymentsOutcome): void {
  if ("error" in outcome) {
    console.log(`\nPayments: FAILED (${outcome.error})`);
    return;
  }
  const { raw, levels, machine } = outcome;
  console.log(`\nPayments benchmark (${machine.cpus} cpus, node ${machine.node}; its own server, built-in VAN simulator; ${s.measureMs / 1000} s per level after ` +
    `${s.warmUpMs / 1000} s warm-up; each terminal loops open → confirm 1 line → quote → pay it all; even terminals cash, odd card; raw ${raw.slices.length} x ${s.rawSliceMs / 1000} s)\n`);
  const header = ["terminals", "payments/s", "cash/s", "card/s", "raw pay/s", "ratio/raw", "raw cycle/s", "ratio/cycle", "errors", "units/commit", "loop p99 ms", "srv cpu", "bench cpu"];
  const rows = levels.map((l) => [
    String(l.clients), fixed(l.paymentsPerSecond, 1), fixed(l.cash.perSecond, 1), fixed(l.card.perSecond, 1),
    `${fixed(l.rawAround.mean, 1)}${l.rawAround.drifted ? "*" : ""}`, `${fixed(l.ratioToRaw)}x`, fixed(l.rawAround.cycleMean, 1), `${fixed(l.ratioToRawCycle)}x`,
    String(l.errors.total), fixed(l.server.unitsPerCommit), fixed(l.server.eventLoopDelayP99Ms),
    l.server.cpuPercent === undefined ? "-" : `${l.server.cpuPercent}%`, `${l.bench.cpuPercent}%`,
  ]);
  console.log(table(header, rows));
  console.log("  raw pay/s = bare better-sqlite3 doing only the payment transactions (cash 1, card 2; half each), mean of the slices just before and after the level;");
  console.log("  raw cycle/s = the same slices counting the whole loop (open + confirm + payment transactions), the writes a terminal's cycle makes the server do." +
    (levels.some((l) => l.rawAround.drifted) ? ` * = those slices differ by more than ${s.rawDriftWarnRatio}x (disk drifted: ratio is shaky)` : ""));
  console.log("");
  const lat = (label: string, l: LatencySummary) => [label, String(l.samples), fixed(l.p50Ms), fixed(l.p99Ms), fixed(l.maxMs), fixed(l.meanMs)];
  const latencyRows = levels.flatMap((l) => [lat(`${l.clients} terminals, cash payment.start`, l.cash.latency), lat(`${l.clients} terminals, card payment.start`, l.card.latency)]);
  latencyRows.push(lat("raw cash (1 transaction), all slices", raw.overall.cash));
  latencyRows.push(lat("raw card (2 transactions), all slices", raw.overall.card));
  console.log(table(["payment.start send -> reply", "samples", "p50 ms", "p99 ms", "max ms", "mean ms"], latencyRows));
  console.log("  card = intent commit + HTTP approval at the server's built-in VAN simulator (its ledger fsync'd per change) + result commit; the raw card has no VAN call.");
  for (const l of levels) {
    const codes = Object.entries(l.errors.byCode).map(([c, n]) => `${c} x${n}`).join(", ");
    const st = l.steps;
    console.log(`  ${l.clients} terminals on ${l.tables}: ${l.cash.payments} cash + ${l.card.payments} card payments in ${l.measuredS} s; other steps p50/p99: open ${fixed(st.open.p50Ms)}/${fixed(st.open.p99Ms)} ms, ` +
      `confirm ${fixed(st.confirm.p50Ms)}/${fixed(st.confirm.p99Ms)} ms, quote ${fixed(st.quote.p50Ms)}/${fixed(st.quote.p99Ms)} ms; ${l.server.commits} commits / ${l.server.units} units, ` +
      `loop max ${l.server.eventLoopDelayMaxMs} ms, paced waits ${l.pacedWaits}` + (l.stoppedTerminals > 0 ? `, ${l.stoppedTerminals} terminals STOPPED` : "") + (codes ? `; ERRORS: ${codes}` : ""));
    const p = l.printing;
    console.log(`    kitchen slips: ${p.backlogAtEnd} unprinted at the window's end, ${p.drained ? "printed" : "NOT printed"} ${p.drained ? "after" : "within"} ${p.drainS} s more` +
      (p.failedSlips > 0 ? `; ${p.failedSlips} FAILED` : ""));
  }
  console.log(`  raw slices: ${raw.slices.map((sl) => `${sl.label} ${sl.paymentsPerSecond} pay/s (cash ${sl.cash.perSecond}, card ${sl.card.perSecond}; cycle ${sl.cyclePaymentsPerSecond})`).join("; ")}`);
  printReconcile(outcome);
  const printed = Object.entries(outcome.serverOutput);
  if (printed.length > 0) {
    console.log(`\nPayments servers' output at LOG_LEVEL=warn (distinct lines):`);
    for (const [lineText, n] of printed) console.log(`  ${String(n).padStart(5)}x ${lineText}`);
  }
  console.log("");
}

function printReconcile(results: PaymentsResults): void {
  const rec = results.reconcile;
  const r = s.reconcile;
  if ("error" in rec) {
    console.log(`\nReconciliation: FAILED (${rec.error})`);
    return;
  }
  console.log(`\nReconciliation of open card intents (${rec.intents} on ${rec.tables} tables, ${r.amountWon} won each; VAN simulator in the bench process; ` +
    `the restarted server's pass at start, timed from "listening" until no payment is pending, polled every ${r.pollMs} ms)\n`);
  const raw = rec.raw.total;
  const rawRow = (label: string, x: typeof raw) => [label, String(x.intents), fixed(x.seconds), fixed(x.intentsPerSecond, 1), String(x.approved), String(x.voided), String(x.unknown)];
  console.log(table(["", "intents", "seconds", "intents/s", "approved", "void", "pending"], [
    ["server: reconciler at restart", String(rec.intents), fixed(rec.seconds), fixed(rec.intentsPerSecond, 1), String(rec.outcome.approved), String(rec.outcome.void), String(rec.outcome.pending)],
    rawRow(`raw: query (+ net cancel) x${raw.concurrency}${rec.raw.drifted ? "*" : ""}`, raw),
    rawRow("  of which before the restart", rec.raw.before),
    rawRow("  of which after the pass", rec.raw.after),
    ["server / raw", "", "", `${fixed(rec.ratio)}x`, "", "", ""],
  ]));
  const replies = Object.entries(rec.setup.replies).map(([k, n]) => `${k} x${n}`).join(", ");
  console.log(`  setup: ${rec.setup.seconds} s to make them (PAYMENT_TIMEOUT_MS=${r.paymentTimeoutMs}, ${r.inFlightPerTable} under way per table); payment.start replies: ${replies}; ` +
    `${rec.setup.vanChargesWithoutRecord} charged by the VAN with the answer lost; server stopped in ${rec.setup.stopS} s`);
  console.log(`  ${rec.settled ? "settled" : "NOT settled"}: ${rec.secondsFromSpawn} s from the spawn of the restarted process; outcome ${rec.outcome.approved} approved, ${rec.outcome.void} void, ` +
    `${rec.outcome.pending} pending${rec.outcome.other > 0 ? `, ${rec.outcome.other} other` : ""}; sessions ${Object.entries(rec.sessions).map(([k, n]) => `${k} ${n}`).join(", ")}`);
  const l = rec.ledger;
  console.log(`  VAN ledger: ${l.approvedOrders} live charges; ${l.agrees ? "agrees with the payments table" : "DISAGREES with the payments table"} ` +
    `(${l.chargesWithoutApprovedRecord} charges without an approved record, ${l.approvedRecordsWithoutCharge} approved records without a charge)`);
  console.log(`  raw: ${raw.queries} queries + ${raw.netCancels} net cancels over HTTP with the project's card adapter, ${raw.concurrency} at once, no database; ` +
    `half just before the restart, half just after the pass${rec.raw.drifted ? `; * = the halves differ by more than ${s.rawDriftWarnRatio}x (the machine's speed drifted: ratio is shaky)` : ""}`);
}

/** Writes bench/results/payments-latest.json (git-ignored) for a run of bench/payments.ts alone. */
export function writePaymentsResults(results: PaymentsOutcome): string {
  const dir = resolve(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "payments-latest.json");
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function fixed(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

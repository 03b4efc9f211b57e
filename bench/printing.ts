import { runPrintingBench } from "./print-bench.ts";

/**
 * npx tsx bench/printing.ts: the printing bench alone (issue 15, item 2). Prints the project's
 * slips/s against both raw ceilings (sendJob per slip, and the pipelined line) and confirm → slip.
 */
let output: readonly string[] = [];
const r = await runPrintingBench((lines) => (output = lines));
const t = r.throughput;
const drain = r.actorDrain;
const rows: [string, string][] = [
  ["slips/s (project)", `${t.slipsPerSecond} (kitchen ${t.kitchenSlipsPerSecond}, bar ${t.barSlipsPerSecond}; ${t.slips} slips in ${t.allPrintedS} s)`],
  ["raw slips/s, sendJob per slip", `${r.raw.slipsPerSecond} (p50 ${r.raw.latency.p50Ms} ms)`],
  ["raw slips/s, pipelined line", `${r.rawPipelined.slipsPerSecond} (p50 ${r.rawPipelined.latency.p50Ms} ms)`],
  ["actor backlog drain slips/s", `${drain.slipsPerSecond} (${drain.slips} slips on ${drain.printers} printers, ${drain.commits} commits for ${drain.submits} submits)`],
  ["ratio drain / pipelined raw", `${r.drainRatios.pipelined}x`],
  ["ratio drain / sendJob raw", `${r.drainRatios.sendJob}x`],
  ["ratio project / sendJob", `${r.ratios.slipsPerSecond}x`],
  ["ratio project / pipelined", `${r.ratios.slipsPerSecondPipelined}x`],
  ["confirms/s", `${t.confirmsPerSecond} (${t.confirms} confirms, ${t.errors.total} errors)`],
  ["tail after the last confirm", `${t.tailS} s; unprinted ${t.unprintedAfterS.withinS} s after: ${t.unprintedAfterS.slips}`],
  ["confirm → slip p50 / p99", `${r.latency.toSlip.p50Ms} / ${r.latency.toSlip.p99Ms} ms (raw sendJob ${r.raw.latency.p50Ms} / ${r.raw.latency.p99Ms}; ratio ${r.ratios.p50}x / ${r.ratios.p99}x)`],
  ["failed slips", String(r.failedSlips)],
  ["server CPU", `${t.serverCpuPercent ?? "?"} %`],
];
for (const [name, value] of rows) console.log(`${name.padEnd(30)} ${value}`);
if (process.env.BENCH_VERBOSE) console.log(output.join(""));

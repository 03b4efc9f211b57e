import type { StepResult } from "./rush-step.ts";
import type { RushSettings } from "./rush-settings.ts";

const columns = ["stores", "orders", "ok", "confirm p50", "confirm p99", "kds p99", "paper p99", "slips out", "srv cpu/store", "rss MB/store", "errors", "pass"] as const;

function cells(r: StepResult): string[] {
  const fmt = (v: number | undefined, digits = 1) => (v === undefined || !Number.isFinite(v) ? "-" : v.toFixed(digits));
  return [
    String(r.stores), String(r.sent), String(r.ok), fmt(r.confirm.p50Ms), fmt(r.confirm.p99Ms), fmt(r.kds.p99Ms), fmt(r.paper.p99Ms, 0),
    String(r.slips.outstanding), r.server.cpuPercentPerStore === undefined ? "-" : `${fmt(r.server.cpuPercentPerStore)}%`, fmt(r.server.rssMBPerStore), String(r.errors.total), r.pass ? "yes" : "NO",
  ];
}

/** The end table: one row per step (latencies in ms, from the confirm's meant send time / ok reply). */
export function stepTable(results: readonly StepResult[]): string {
  const rows = [columns.slice(), ...results.map(cells)];
  const widths = columns.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padStart(widths[i]!)).join("  ")).join("\n");
}

/** Lines under the table: what each step's figures rest on. */
export function stepDetails(r: StepResult): string[] {
  const codes = Object.entries(r.errors.byCode).map(([code, n]) => `${code} x${n}`).join(", ");
  return [
    `N=${r.stores}: ${r.arrivals} arrivals in ${r.stepS} s (${r.viaPhone} by phone, ${r.qrFallbacks} phone orders sent by the POS: QR limits or a phone order under way), ${r.sent - r.answered} unanswered`,
    `  confirm pos p99 ${r.confirmPos.p99Ms} ms (${r.confirmPos.samples}), phone p99 ${r.confirmPhone.p99Ms} ms (${r.confirmPhone.samples}); max ${r.confirm.maxMs} ms`,
    `  kds: ${r.kds.pairs} ticket x display pairs, ${r.kds.missing} missing, ${r.kds.drops} drops; paper: ${r.slips.printed}/${r.slips.expected} slips, ${r.slips.duplicates} duplicates, ${r.slips.unknown} unknown, max ${r.paper.maxMs} ms`,
    `  printer faults ${r.slips.printerFaults} (${r.slips.faultS} s); drain ${r.drainS} s; server cpu ${r.server.cpuPercent ?? "-"}%, rss ${r.server.rssMB ?? "-"} MB; bench cpu ${r.benchCpuPercent}%`,
    ...(codes ? [`  errors: ${codes}`] : []),
  ];
}

export interface RushReport {
  readonly startedAt: string;
  readonly machine: { readonly cpus: number; readonly loadAverage: readonly number[]; readonly node: string };
  readonly settings: RushSettings;
  readonly steps: readonly StepResult[];
  /** The largest N whose step held both limits (0: not even one store). */
  readonly storesAtLimits: number;
}

export function verdict(report: RushReport): string {
  const g = report.settings.goal;
  return `stores per process at confirm p99 <= ${g.confirmP99MsMax} ms and confirm -> paper p99 <= ${g.paperP99MsMax} ms: ${report.storesAtLimits}`;
}

/** A small line chart of confirm p99, KDS p99 and paper p99 against N (log scales), as SVG text. */
export function p99Chart(report: RushReport): string {
  const w = 560, h = 320, left = 60, right = 140, top = 20, bottom = 40;
  const steps = report.steps;
  const series = [
    { name: "confirm p99", color: "#1f77b4", value: (r: StepResult) => r.confirm.p99Ms },
    { name: "kds p99", color: "#2ca02c", value: (r: StepResult) => r.kds.p99Ms },
    { name: "paper p99", color: "#d62728", value: (r: StepResult) => r.paper.p99Ms },
  ];
  const values = steps.flatMap((r) => series.map((s) => s.value(r))).filter((v) => Number.isFinite(v) && v > 0);
  const yMin = Math.max(0.1, Math.min(1, ...values)), yMax = Math.max(10_000, ...values);
  const nMax = Math.max(2, ...steps.map((r) => r.stores));
  const x = (n: number) => left + (Math.log2(n) / Math.log2(nMax)) * (w - left - right);
  const y = (v: number) => top + (1 - Math.log10(Math.max(v, yMin) / yMin) / Math.log10(yMax / yMin)) * (h - top - bottom);
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="11">`];
  out.push(`<rect width="${w}" height="${h}" fill="white"/>`);
  for (let v = 10 ** Math.ceil(Math.log10(yMin)); v <= yMax; v *= 10) {
    out.push(`<line x1="${left}" x2="${w - right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${v >= 1 ? v : v.toFixed(1)} ms</text>`);
  }
  for (const limit of [report.settings.goal.confirmP99MsMax, report.settings.goal.paperP99MsMax]) {
    out.push(`<line x1="${left}" x2="${w - right}" y1="${y(limit)}" y2="${y(limit)}" stroke="#999" stroke-dasharray="4 3"/>`);
  }
  for (const r of steps) out.push(`<text x="${x(r.stores)}" y="${h - bottom + 16}" text-anchor="middle">${r.stores}</text>`);
  out.push(`<text x="${(left + w - right) / 2}" y="${h - 6}" text-anchor="middle">stores in one process (N)</text>`);
  series.forEach((s, i) => {
    const points = steps.filter((r) => Number.isFinite(s.value(r))).map((r) => `${x(r.stores).toFixed(1)},${y(s.value(r)).toFixed(1)}`);
    if (points.length > 0) out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${points.join(" ")}"/>`);
    for (const p of points) out.push(`<circle cx="${p.split(",")[0]}" cy="${p.split(",")[1]}" r="3" fill="${s.color}"/>`);
    out.push(`<rect x="${w - right + 12}" y="${top + i * 18}" width="10" height="10" fill="${s.color}"/><text x="${w - right + 28}" y="${top + i * 18 + 9}">${s.name}</text>`);
  });
  out.push(`<text x="${w - right + 12}" y="${top + 3 * 18 + 9}">dashed: the limits</text>`);
  out.push("</svg>");
  return out.join("\n");
}

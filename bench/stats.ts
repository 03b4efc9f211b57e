/** Latency samples in milliseconds, bounded; percentiles by nearest rank. */
export class LatencyRecorder {
  readonly #samples: Float64Array;
  #count = 0;
  #dropped = 0;

  constructor(capacity: number) {
    if (!(capacity > 0)) throw new Error("LatencyRecorder needs a positive capacity");
    this.#samples = new Float64Array(capacity);
  }

  record(ms: number): void {
    if (this.#count >= this.#samples.length) {
      this.#dropped += 1;
      return;
    }
    this.#samples[this.#count] = ms;
    this.#count += 1;
  }

  get count(): number {
    return this.#count;
  }

  summary(): LatencySummary {
    const sorted = this.#samples.slice(0, this.#count).sort();
    let sum = 0;
    for (const v of sorted) sum += v;
    return {
      samples: this.#count,
      dropped: this.#dropped,
      p50Ms: round(percentile(sorted, 50)),
      p99Ms: round(percentile(sorted, 99)),
      maxMs: round(sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN),
      meanMs: round(sorted.length > 0 ? sum / sorted.length : Number.NaN),
    };
  }
}

export interface LatencySummary {
  readonly samples: number;
  readonly dropped: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Counts by key (error codes), bounded so a broken run cannot grow it without end. */
export class Tally {
  readonly #counts = new Map<string, number>();
  #total = 0;
  constructor(private readonly keysMax = 50) {}

  add(key: string): void {
    this.#total += 1;
    const k = this.#counts.has(key) || this.#counts.size < this.keysMax ? key : "(other)";
    this.#counts.set(k, (this.#counts.get(k) ?? 0) + 1);
  }

  get total(): number {
    return this.#total;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }
}

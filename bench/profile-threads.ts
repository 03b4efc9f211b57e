import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time (user + system, ms) of every thread of a process, from /proc/<pid>/task; empty off Linux.
 * The profiler's "busy" is wall time a thread was not idle (descheduled or blocked in fsync counts);
 * this is what it really burned, so the two together say how far the profile's ms can be trusted.
 */
export function threadCpuMs(pid: number | undefined): Map<number, number> {
  const result = new Map<number, number>();
  if (pid === undefined) return result;
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return result;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      // Fields after the ")" of the command name: utime is field 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ticks = Number(fields[11]) + Number(fields[12]);
      if (Number.isFinite(ticks)) result.set(Number(tid), (ticks * 1000) / 100); // USER_HZ = 100
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return result;
}

export interface ThreadCpu {
  /** The main thread (tid = pid). */
  readonly mainMs: number | undefined;
  /** The busiest other thread: the storage writer under this load (threads have no names to tell by). */
  readonly busiestOtherMs: number | undefined;
  /** Every other thread together (the writer, V8's concurrent GC and compiler, libuv's pool). */
  readonly othersMs: number;
  readonly processMs: number;
}

/** What each thread used between two readings of threadCpuMs. */
export function threadCpuBetween(pid: number | undefined, before: Map<number, number>, after: Map<number, number>): ThreadCpu {
  const deltas = [...after].map(([tid, ms]) => ({ tid, ms: ms - (before.get(tid) ?? 0) }));
  const main = deltas.find((d) => d.tid === pid);
  const others = deltas.filter((d) => d.tid !== pid).sort((a, b) => b.ms - a.ms);
  const othersMs = others.reduce((sum, d) => sum + d.ms, 0);
  return { mainMs: main?.ms, busiestOtherMs: others[0]?.ms, othersMs, processMs: (main?.ms ?? 0) + othersMs };
}

import { signal } from "@preact/signals";

export type Urgency = "fresh" | "warn" | "late";

/** Used when the server predates `urgentAfterMinutes` in the kitchen state (config default). */
const defaultUrgentMinutes = 15;

/**
 * Two thresholds, as the common KDS pattern (SCREENS.md §1.2): a warning from ⅔ of the store's
 * urgentAfterMinutes, late from the full time or when the server flagged the ticket urgent.
 */
export function urgencyOf(elapsedMs: number, urgentAfterMinutes: number, serverUrgent: boolean, done: boolean): Urgency {
  if (done) return "fresh";
  const limitMs = (urgentAfterMinutes > 0 ? urgentAfterMinutes : defaultUrgentMinutes) * 60_000;
  if (serverUrgent || elapsedMs >= limitMs) return "late";
  return elapsedMs >= (limitMs * 2) / 3 ? "warn" : "fresh";
}

/** m:ss, or h:mm:ss past an hour. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** One clock for every timer on the screen, ticking each second while the screen is mounted. */
export const now = signal(Date.now());
let ticking: ReturnType<typeof setInterval> | undefined;
let users = 0;

export function startClock(): () => void {
  users += 1;
  ticking ??= setInterval(() => (now.value = Date.now()), 1_000);
  return () => {
    users -= 1;
    if (users === 0 && ticking) {
      clearInterval(ticking);
      ticking = undefined;
    }
  };
}

import { signal } from "@preact/signals";

/** One clock for the floor's elapsed times and the lock expiries, ticking every 10 s while used. */
export const now = signal(Date.now());
let ticking: ReturnType<typeof setInterval> | undefined;
let users = 0;

export function startClock(): () => void {
  users += 1;
  now.value = Date.now();
  ticking ??= setInterval(() => (now.value = Date.now()), 10_000);
  return () => {
    users -= 1;
    if (users === 0 && ticking) {
      clearInterval(ticking);
      ticking = undefined;
    }
  };
}

/** Minutes since `iso`, in whole minutes (never negative). */
export function minutesSince(iso: string, at: number): number {
  const from = Date.parse(iso);
  return Number.isNaN(from) ? 0 : Math.max(0, Math.floor((at - from) / 60_000));
}

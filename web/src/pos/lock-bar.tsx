import { now } from "./clock.ts";
import { Icon } from "./icons.tsx";
import { clockTime } from "./refusals.ts";
import { liveLock, type TableCtx } from "./table-context.ts";
import { t } from "./texts.ts";

/**
 * R-CON-1: who holds the table's edit lock and until when, shown to everyone at the table; the
 * holder can release it, anyone else can take it when it is free.
 */
export function LockBar({ ctx }: { ctx: TableCtx; rev: number }) {
  const lock = liveLock(ctx.state, now.value);
  const live = ctx.state.status !== "none" && ctx.state.status !== "closed" && ctx.state.status !== "cancelled";
  if (!live) return null;
  if (!lock) {
    return <button type="button" class="lock-button" data-action="lock-take" disabled={!ctx.online} onClick={() => void ctx.run("lock.take", {})}><Icon name="unlock" /> {t("lockTake")}</button>;
  }
  const mine = lock.holderTerminal === ctx.client.room.sessionId;
  return (
    <span class={`lock-state ${mine ? "mine" : "other"}`} data-lock={mine ? "mine" : "other"} role="status">
      <Icon name="lock" />
      {mine ? t("lockMine", { time: clockTime(lock.expiresAt) }) : t("lockOther", { name: lock.holderName, time: clockTime(lock.expiresAt) })}
      {mine && <button type="button" data-action="lock-release" onClick={() => void ctx.run("lock.release", {})}>{t("lockRelease")}</button>}
    </span>
  );
}

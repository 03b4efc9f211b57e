import { useState } from "preact/hooks";
import { decidedOn, type TableCtx } from "./table-context.ts";
import { t } from "./texts.ts";

/** A free table: how many guests, then seat them (session.open). A timed-out one: resume it. */
export function SeatPanel({ ctx }: { ctx: TableCtx; rev: number }) {
  const [guests, setGuests] = useState(2);
  const [busy, setBusy] = useState(false);
  if (ctx.state.status === "timed_out") {
    return (
      <section class="seat">
        <p>{t("timedOutNote")}</p>
        <button type="button" class="primary big" data-action="resume" disabled={busy || !ctx.online} onClick={async () => {
          setBusy(true);
          await ctx.run("session.resume", { ...decidedOn(ctx.state) });
          setBusy(false);
        }}>{t("resume")}</button>
      </section>
    );
  }
  return (
    <section class="seat" aria-labelledby="seat-heading">
      <h2 id="seat-heading">{t("seatHeading")}</h2>
      <div class="guest-picker" role="group" aria-label={t("guestsLabel")}>
        {[1, 2, 3, 4, 5, 6, 7, 8].map((n) => (
          <button key={n} type="button" class={n === guests ? "chip on" : "chip"} aria-pressed={n === guests} data-guests={n} onClick={() => setGuests(n)}>{t("guests", { n })}</button>
        ))}
      </div>
      <button type="button" class="primary big" data-action="seat" disabled={busy || !ctx.online} onClick={async () => {
        setBusy(true);
        await ctx.run("session.open", { guests });
        setBusy(false);
      }}>{t("seat")}</button>
    </section>
  );
}

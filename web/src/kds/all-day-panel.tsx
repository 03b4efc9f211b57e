import { t } from "./texts.ts";

/** 올데이: portions waiting or cooking per menu item, most first. */
export function AllDayPanel({ allDay }: { allDay: any; rev: number }) {
  const rows = [...allDay.entries()]
    .map(([menuId, entry]: [string, any]) => ({ menuId, name: entry.name as string, quantity: entry.quantity as number }))
    .filter((row) => row.quantity > 0)
    .sort((a, b) => b.quantity - a.quantity || a.name.localeCompare(b.name, "ko"));
  return (
    <section class="panel all-day" aria-labelledby="all-day-title">
      <h2 id="all-day-title">{t("allDay")} <small>{t("allDayHint")}</small></h2>
      {rows.length === 0 ? <p class="muted">{t("allDayEmpty")}</p> : (
        <ul>
          {rows.map((row) => (
            <li key={row.menuId} data-menu-id={row.menuId}><span>{row.name}</span><strong class="all-day-count">{row.quantity}</strong></li>
          ))}
        </ul>
      )}
    </section>
  );
}

import type { Station } from "./store-menu.ts";
import { t } from "./texts.ts";

/** First run on a device: which station's tickets this screen shows (or all). */
export function StationPicker({ stations, onChoose }: { stations: readonly Station[]; onChoose: (stationId: string) => void }) {
  return (
    <main class="station-picker">
      <h1>{t("chooseStation")}</h1>
      <p class="muted">{t("chooseStationHint")}</p>
      <div class="station-buttons">
        {stations.map((station) => (
          <button type="button" class="primary" key={station.id} data-station={station.id} onClick={() => onChoose(station.id)}>{station.name}</button>
        ))}
        <button type="button" data-station="all" onClick={() => onChoose("all")}>{t("allStations")}</button>
      </div>
    </main>
  );
}

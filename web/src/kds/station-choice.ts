import { signal } from "@preact/signals";

/** The station this device shows, remembered per device and store ("all" = every station). */
const keyOf = (storeId: string) => `kds-station:${storeId}`;

export const chosenStation = signal<string | null>(null);

export function loadStation(storeId: string): string | null {
  chosenStation.value = localStorage.getItem(keyOf(storeId));
  return chosenStation.value;
}

export function chooseStation(storeId: string, stationId: string): void {
  localStorage.setItem(keyOf(storeId), stationId);
  chosenStation.value = stationId;
}

export function forgetStation(storeId: string): void {
  localStorage.removeItem(keyOf(storeId));
  chosenStation.value = null;
}

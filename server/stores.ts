import type { StoreView } from "../rooms/context.ts";
import type { AppConfig } from "./config/index.ts";

/** The room-facing view of each configured store. */
export function storeViews(config: AppConfig): Map<string, StoreView> {
  return new Map(
    config.stores.map((s) => [s.id, { id: s.id, name: s.name, stationIds: s.stations.map((st) => st.id), tables: new Map(s.tables.map((t) => [t.id, t])), menu: s.menu }]),
  );
}

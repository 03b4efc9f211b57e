/** Store configuration: the only way in. Format and rules: docs/CONFIG.md. */
import type { AppConfig, StoreConfig } from "./schema.ts";

export {
  loadConfig,
  parseConfig,
  ConfigError,
  formatConfigIssues,
  demoSource,
  type LoadedConfig,
  type ConfigIssue,
} from "./load.ts";
export {
  configLimits,
  kitchenDefaults,
  staffRoles,
  type AppConfig,
  type StoreConfig,
  type StaffConfig,
  type StaffRole,
  type TableConfig,
  type KitchenConfig,
  type PrinterConfig,
  type PrintingConfig,
  type RawConfigInput,
} from "./schema.ts";
export { hashPin, verifyPin } from "./pin.ts";
export { demoRawConfig } from "./demo.ts";

/** The store with this id, or undefined (room filters and URLs carry untrusted ids). */
export function findStore(config: AppConfig, storeId: string): StoreConfig | undefined {
  return config.stores.find((s) => s.id === storeId);
}

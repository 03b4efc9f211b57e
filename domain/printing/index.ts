/** Kitchen printing rules: dedupe by content (a ticket's slip family), marks, retry, resolution. */
export * from "./slip-family.ts";
/** The print ledger's rows and writes (implemented by storage, used by the printer actors). */
export * from "./ledger-types.ts";

/** The pure core: no I/O, no clock, no randomness. Everything else imports from here. */
export * from "./assert.ts";
export * from "./money.ts";
export * from "./vat.ts";
export * from "./menu.ts";
export * from "./limits.ts";
export * from "./pricing.ts";
export * from "./session/index.ts";
export * from "./printing/index.ts";
export * from "./stock/index.ts";
export * from "./edit-lock.ts";

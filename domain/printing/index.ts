/** Kitchen printing rules: dedupe by content (a ticket's slip family), marks, retry, resolution. */
export * from "./slip-family.ts";

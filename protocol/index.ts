/**
 * The wire contract, browser-safe (no Node built-ins; test/wire/protocol-module.test.ts checks
 * it): command schemas, replies, error codes, room names and limits. The rooms and the clients
 * both import from here.
 */
export * from "./admin-commands.ts";
export * from "./codes.ts";
export * from "./kitchen-commands.ts";
export * from "./limits.ts";
export * from "./measure.ts";
export * from "./reply.ts";
export * from "./rooms.ts";
export * from "./table-commands.ts";

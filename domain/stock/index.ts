/** Stock (86 / countdown) rules as pure deciders: levels and commands in, writes and refusals out. */
export * from "./takes.ts";
export * from "./levels.ts";

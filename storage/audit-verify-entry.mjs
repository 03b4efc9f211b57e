// Worker threads do not inherit the TypeScript loader on Node 20: register tsx, then load the walk.
import { register } from "tsx/esm/api";

register();
await import("./audit-verify-thread.ts");

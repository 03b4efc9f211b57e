// Worker threads do not inherit the TypeScript loader on Node 20: register tsx, then load the writer.
import { register } from "tsx/esm/api";

register();
await import("./writer-thread.ts");

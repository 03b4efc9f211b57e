// Node 20 has no global WebSocket; the Colyseus SDK's reconnection reads it (as bench/run.ts does).
import { WebSocket } from "ws";
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

import { measureKitchenState } from "./kitchen-state.ts";
import { removeBenchDir, startBenchServer, stopBenchServer } from "./server-control.ts";

/** `npx tsx bench/kitchen-state-run.ts`: the kitchen-state part of `npm run bench` alone, on a fresh server. */
async function main(): Promise<void> {
  const { server, dir } = await startBenchServer();
  try {
    console.log(JSON.stringify(await measureKitchenState(server), null, 2));
  } finally {
    await stopBenchServer(server);
    removeBenchDir(dir);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

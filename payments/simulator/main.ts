import { startVanSimulator } from "./server.ts";

/**
 * Runs the simulator as its own process: VAN_SIM_PORT (default 0 = free port), VAN_SIM_HOST
 * (default 127.0.0.1), VAN_SIM_LEDGER (JSON-lines ledger file, optional), VAN_SIM_TZ (default
 * Asia/Seoul). Prints one JSON line `{"event":"listening","url":...,"port":...}`; SIGTERM/SIGINT close it.
 */
const port = Number(process.env.VAN_SIM_PORT ?? "0");
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  process.stderr.write(`${JSON.stringify({ event: "bad_config", message: "VAN_SIM_PORT: 0..65535" })}\n`);
  process.exit(2);
}
const simulator = await startVanSimulator({
  port,
  host: process.env.VAN_SIM_HOST ?? "127.0.0.1",
  ...(process.env.VAN_SIM_LEDGER ? { ledgerFile: process.env.VAN_SIM_LEDGER } : {}),
  ...(process.env.VAN_SIM_TZ ? { timeZone: process.env.VAN_SIM_TZ } : {}),
});
process.stdout.write(`${JSON.stringify({ event: "listening", url: simulator.url, port: simulator.port, entries: simulator.ledger().entries.length })}\n`);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void simulator.close().then(() => {
      process.stdout.write(`${JSON.stringify({ event: "closed" })}\n`);
      process.exit(0);
    });
  });
}

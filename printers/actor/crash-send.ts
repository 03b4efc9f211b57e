import { connect } from "node:net";
import type { PrinterTarget } from "../transport/send.ts";

/** CRASH_AT=mid-print: the first half of the slip goes to the printer (no cut, no completion request), then `die`. */
export function sendPartThenCrash(target: PrinterTarget, bytes: Buffer, die: () => never): Promise<never> {
  return new Promise(() => {
    const socket = connect(target.port, target.host, () => {
      socket.write(bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2))), () => die());
    });
    socket.on("error", () => die());
  });
}

import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { CardProvider, type ApproveRequest, type CardProviderOptions } from "../../payments/index.ts";
import { startVanSimulator, type VanSimulator, type VanSimulatorOptions } from "../../payments/simulator/index.ts";

/** Shared helpers for the payment tests (not a test file: uvu finds no tests in it). */

const root = resolve(import.meta.dirname, "../..");

export const newOrderId = (prefix = "ord") => `${prefix}-${randomUUID().slice(0, 12)}`;

/** A fresh simulator gift card holding `balance` won. */
export const giftCard = (balance: number) => `GIFT-${balance}-${randomUUID().replaceAll("-", "").slice(0, 12)}`;

export function cardRequest(overrides: Partial<ApproveRequest> = {}): ApproveRequest {
  const amount = overrides.amount ?? 23_000;
  return { orderId: newOrderId(), storeId: "store-1", method: "card", amount, installmentMonths: 0, vat: Math.round(amount / 11), cardToken: "5417071234561234", ...overrides };
}

export function startSimulator(options: VanSimulatorOptions = {}): Promise<VanSimulator> {
  return startVanSimulator({ host: "127.0.0.1", port: 0, ...options });
}

/** A 300 ms timeout unless told (a fault is seen in a fraction of a second); few, fast retries. */
export function adapterFor(url: string, options: Partial<CardProviderOptions> = {}): CardProvider {
  return new CardProvider({ baseUrl: url, requestTimeoutMs: 300, attempts: 3, backoffMsFirst: 10, ...options });
}

/** Fails when `promise` has not settled within `ms` (a guard against hangs, not a timing assertion). */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, guard]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls an async check until it holds; stops polling at the deadline (nothing keeps running after a failure). */
export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(5_000) });
  return { status: response.status, body: await response.json() };
}

export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return { status: response.status, body: await response.json() };
}

export interface SimulatorProcess {
  readonly url: string;
  readonly output: string[];
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `payments/simulator/main.ts` as a child process, once it printed its "listening" line. */
export async function spawnSimulator(env: Record<string, string> = {}): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", resolve(root, "payments/simulator/main.ts")], {
    cwd: root,
    env: { ...process.env, VAN_SIM_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once("close", (code, signal) => r({ code, signal })));
  child.stderr.on("data", (c: Buffer) => output.push(c.toString()));
  const url = await new Promise<string>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`simulator did not start:\n${output.join("")}`)), 20_000);
    let pending = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output.push(chunk.toString());
      pending += chunk.toString();
      const line = pending.split("\n").find((l) => l.includes('"event":"listening"'));
      if (!line) return;
      clearTimeout(timer);
      ready((JSON.parse(line) as { url: string }).url);
    });
    void exit.then(({ code }) => {
      clearTimeout(timer);
      fail(new Error(`simulator exited with ${code}:\n${output.join("")}`));
    });
  });
  return {
    url,
    output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exit;
    },
  };
}

/**
 * Deliberate faults, one at a time, for `npm run mutation` (test/mutation/run.ts). Each breaks one
 * rule the product promises; `tests` names the test files that must turn red (a pattern for uvu
 * under test/). A fault whose text is no longer found is reported as stale, so the list keeps up
 * with the code. Issue 10 asked that every fault of its item 2 be caught; issue 9's are here too.
 */
export interface Fault {
  readonly id: string;
  readonly rule: string;
  readonly file: string;
  readonly find: string;
  readonly replace: string;
  /** uvu directory and file pattern under test/ */
  readonly tests: readonly (readonly [dir: string, pattern: string])[];
}

export const faults: readonly Fault[] = [
  {
    id: "state-before-commit",
    rule: "the room's state advances only after the durable commit answers",
    file: "rooms/table/table-session.ts",
    find: "    try {\n      await this.ctx.writer.submit(this.#unit(",
    replace: "    this.#state = after;\n    try {\n      await this.ctx.writer.submit(this.#unit(",
    tests: [["test/rooms", "pinned-rules"]],
  },
  {
    id: "increase-takes-no-stock",
    rule: "a quantity increase takes portions from a countdown",
    file: "domain/stock/takes.ts",
    find: "quantity: Math.max(0, event.item.quantity - (before.items.get(event.replacesItemId)?.quantity ?? 0))",
    replace: "quantity: 0",
    tests: [["test/domain", "stock-takes"], ["test/rooms", "pinned-rules"]],
  },
  {
    id: "cancelled-in-all-day",
    rule: "cancelled items leave the kitchen's all-day counts",
    file: "rooms/kitchen/board-view.ts",
    find: `if (item.state !== "waiting" && item.state !== "cooking") continue;`,
    replace: `if (item.state !== "waiting" && item.state !== "cooking" && item.state !== "cancelled") continue;`,
    tests: [["test/rooms", "pinned-rules"]],
  },
  {
    id: "reply-cache-ignored",
    rule: "a replayed command is answered from the reply cache, not applied again",
    file: "rooms/command-pipeline.ts",
    find: "const remembered = this.#replies.get(cacheKey(key));",
    replace: "const remembered = undefined;",
    tests: [["test/rooms", "idempotency-scope"]],
  },
  {
    id: "durable-body-unchecked",
    rule: "a reused cmdId with a different body is refused, also from the database after a restart",
    file: "rooms/command-pipeline.ts",
    find: "return row ? { bodyHash: row.bodyHash, reply: row.reply as Reply } : undefined;",
    replace: "return row ? { bodyHash: hash, reply: row.reply as Reply } : undefined;",
    tests: [["test/rooms", "idempotency-scope"]],
  },
  {
    id: "key-not-scoped",
    rule: "idempotency keys are scoped to the sender's store and principal",
    file: "rooms/command-pipeline.ts",
    find: "return `${key.storeId}\\u0000${key.actorId}\\u0000${key.cmdId}`;",
    replace: "return key.cmdId;",
    tests: [["test/rooms", "idempotency-scope"]],
  },
  {
    id: "actor-not-hashed",
    rule: "every audit column is in the hash chain",
    file: "storage/audit.ts",
    find: `"at", "store_id", "actor_id", "actor_role",`,
    replace: `"at", "store_id", "actor_role",`,
    tests: [["test/storage", "audit"]],
  },
  {
    id: "expired-token-accepted",
    rule: "expired tokens are refused",
    file: "server/auth.ts",
    find: "currentDate: new Date(nowMs)",
    replace: "currentDate: new Date(0)",
    tests: [["test/server", "http-security"]],
  },
  {
    id: "room-store-unchecked",
    rule: "a join is checked against the room's own store, on every join path",
    file: "rooms/join-auth.ts",
    find: "      deny(authorize(principal, roles, scope()));",
    replace: "      void scope;",
    tests: [["test/rooms", "store-isolation"]],
  },
  {
    id: "wildcard-type-trusted",
    rule: "a message of type \"*\" cannot kill a room",
    file: "rooms/command-pipeline.ts",
    find: `typeof type === "string" ? JSON.stringify(type.slice(0, 64)) : typeof type === "number" ? String(type) : "\\"*\\""`,
    replace: "String(type)",
    tests: [["test/rooms", "hostile-input"]],
  },
  {
    id: "command-size-unchecked",
    rule: "commands over the command caps get PAYLOAD_TOO_LARGE",
    file: "rooms/command-pipeline.ts",
    find: "    if (!size.ok) {",
    replace: "    if (false as boolean) {",
    tests: [["test/rooms", "hostile-input"], ["test/rooms", "bad-input"]],
  },
  {
    id: "table-limit-unchecked",
    rule: "the 33rd terminal gets TABLE_FULL",
    file: "rooms/table/table-room.ts",
    find: "if (connectedAndJoining(this) > roomLimits.tableClientsMax) {",
    replace: "if (connectedAndJoining(this) > Number.MAX_SAFE_INTEGER) {",
    tests: [["test/rooms", "hostile-input"]],
  },
  {
    id: "line-amount-unchecked",
    rule: "a line over 100억 is a typed refusal, not an assertion",
    file: "domain/pricing.ts",
    find: "  if (tooLarge) return fail(tooLarge);",
    replace: "",
    tests: [["test/domain", "money-bounds"]],
  },
  {
    id: "partial-cancel-as-new",
    rule: "a partial cancel prints as a cancel, never as a new order",
    file: "server/printing/slip-data.ts",
    find: `const kind = ticket.kind === "new" ? "new" : ticket.kind === "change" ? "change" : "cancel";`,
    replace: `const kind = ticket.kind === "new" || ticket.kind === "partial_cancel" ? "new" : ticket.kind === "change" ? "change" : "cancel";`,
    tests: [["test/printers", "slip-data"]],
  },
  {
    id: "outbox-outside-the-unit",
    rule: "the outbox rows are written in the confirm's own transaction (a failure takes the whole unit back)",
    file: "storage/commit-writer.ts",
    find: "during(\"outbox\", () => insertOutbox({ event_id: `${ctx.sessionId}:${seq}`, store_id: ctx.storeId, session_id: ctx.sessionId, topic: event.type, payload, created_at: event.at }));",
    replace: "during(\"outbox\", () => { try { insertOutbox({ event_id: `${ctx.sessionId}:${seq}`, store_id: ctx.storeId, session_id: ctx.sessionId, topic: event.type, payload, created_at: event.at }); } catch { /* written apart */ } });",
    tests: [["test/storage", "one-transaction"]],
  },
  {
    id: "retry-after-reprint",
    rule: "a retry of a failed slip whose content printed as another copy is refused",
    file: "domain/printing/slip-family.ts",
    find: "      const printed = slip.reprintNo === 0 ? printedCopy(family) : undefined;",
    replace: "      const printed = undefined as string | undefined;",
    tests: [["test/domain", "printing-slip-family"], ["test/e2e", "print-dedupe\\.test"]],
  },
  {
    id: "auth-secret-race",
    rule: "processes starting together agree on one generated auth secret",
    file: "server/auth.ts",
    find: "      linkSync(candidate, file);",
    // The old code: each process keeps the secret it generated; the file holds whichever wrote last.
    replace: "      writeFileSync(file, readFileSync(candidate)); return Buffer.from(readFileSync(candidate, \"utf8\"), \"hex\");",
    tests: [["test/server", "auth-secret"]],
  },
  {
    id: "health-check-overlaps-job",
    rule: "a printer's health check never overlaps one of its jobs (one connection at a time)",
    file: "server/printing/printer-actor.ts",
    find: "const result = await this.#onLine(() => sendJob(",
    replace: "const result = await ((use: () => ReturnType<typeof sendJob>) => use())(() => sendJob(",
    tests: [["test/e2e", "crash-points"]],
  },
  {
    id: "payment-beside-not-deduplicated",
    rule: "a payment retried with the same cmdId while the first is still with the VAN never starts a second payment",
    file: "rooms/command-pipeline.ts",
    find: "    if (running) return running;",
    replace: "    if (running && Math.random() > 2) return running;",
    tests: [["test/e2e", "payment-faults"]],
  },
  {
    id: "unknown-answer-not-net-cancelled",
    rule: "an approval whose answer never came is net-cancelled (망취소) by our order id before it is recorded void",
    file: "rooms/table/payment-flow.ts",
    find: "      const net = await provider.netCancel(paymentId);",
    replace: "      const net = { kind: \"done\" as const };",
    tests: [["test/e2e", "payment-faults"]],
  },
  {
    id: "lost-approval-not-queried",
    rule: "an approval whose answer was lost is found by query and recorded, never net-cancelled blindly",
    file: "rooms/table/payment-flow.ts",
    find: "  const found = await provider.query(paymentId);",
    replace: "  const found = { kind: \"not_found\" as const };",
    tests: [["test/e2e", "payment-faults"]],
  },
  {
    id: "no-auto-close-when-paid",
    rule: "R-PAY-5: the payment that settles the bill closes the session in the same commit",
    file: "domain/session/decide.ts",
    find: "  if (isActive(after.status) && settled(after) && !settled(state)) {",
    replace: "  if (isActive(after.status) && settled(after) && !settled(state) && command.type === \"OpenSession\") {",
    tests: [["test/e2e", "payments-flow"]],
  },
  {
    id: "receipt-vat-floor",
    rule: "the receipt's 부가세 is round(total / 11), not the floor",
    file: "domain/vat.ts",
    find: "export function splitVat(",
    replace: "export function splitVat(totalInclusive: number, taxFree = 0): VatSplit { const t = totalInclusive - taxFree; const vat = Math.floor(t / 11); return { taxable: t, supply: t - vat, vat, taxFree }; }\nexport function splitVatOriginal(",
    tests: [["test/e2e", "receipt-print"]],
  },
];

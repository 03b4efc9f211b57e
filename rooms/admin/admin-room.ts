import { Room, type Client, type AuthContext } from "@colyseus/core";
import type { Principal, RoomContext } from "../context.ts";
import { CommandPipeline, wireCommands } from "../command-pipeline.ts";
import { authenticateJoin, guardJoins } from "../join-auth.ts";
import { roomLimits } from "../../protocol/limits.ts";
import { adminCommandSchema, adminCommandTypes, type AdminCommand } from "../../protocol/admin-commands.ts";
import { AdminState, JobView, PaymentEventView, PrinterView, SlipView } from "./admin-state.ts";
import { PrintCommands } from "./print-commands.ts";

export const adminLimits = { jobsShown: 50, failedShown: 100, paymentEventsShown: 50, refreshEveryMs: 2_000, clientsMax: 16 } as const;

/** The admin console of a store: printer health, failed slips, the job log, and the print commands. */
export class AdminRoom extends Room<{ state: AdminState; client: Client<{ auth: Principal }> }> {
  declare ctx: RoomContext;
  override state = new AdminState();
  override maxClients = adminLimits.clientsMax;
  override maxMessagesPerSecond = roomLimits.messagesPerSecondMax;
  override patchRate: number | null = null;
  #unsubscribe: (() => void)[] = [];
  #timer: NodeJS.Timeout | undefined;

  static withContext(ctx: RoomContext): typeof AdminRoom {
    return class BoundAdminRoom extends AdminRoom {
      override ctx = ctx;
      static override async onAuth(token: string, options: unknown, _context: AuthContext) {
        await authenticateJoin(ctx, token, options, ["admin"]);
        return true; // the room's own gate (guardJoins) decides, against this room's store
      }
    };
  }

  override onCreate(options: { storeId: string }): void {
    const storeId = options.storeId;
    this.state.storeId = storeId;
    guardJoins(this, this.ctx, ["admin"], () => ({ storeId }));
    this.#refresh();
    const commands = new PrintCommands(this.ctx, storeId);
    const pipeline = new CommandPipeline<AdminCommand>({
      schema: adminCommandSchema,
      knownTypes: adminCommandTypes,
      scope: () => `admin:${storeId}`,
      rolesFor: () => ["admin"],
      lookupPersisted: (_type, key) => this.ctx.reader.processedCommand(key),
      onBug: (error) => this.onUncaughtException(error, "command"),
      execute: async (command, meta) => {
        const outcome = await commands.execute(command, meta);
        this.#refresh();
        return outcome;
      },
    });
    wireCommands(this, this.ctx, pipeline);
    this.#unsubscribe.push(this.ctx.printing.onNotice((notice) => {
      if (notice.storeId !== storeId) return;
      this.#refresh();
      // R-KRP-2: every admin hears of a failed slip at once, with what to do about it.
      this.broadcast("notice", notice);
    }));
    // A guest's staff call (QR) reaches the console too.
    this.#unsubscribe.push(this.ctx.staffCalls.on((call) => {
      if (call.storeId === storeId) this.broadcast("staffCall", call);
    }));
    this.#unsubscribe.push(this.ctx.board.onPayment((notice) => {
      if (notice.storeId !== storeId) return;
      this.state.payments.unshift(new PaymentEventView({ tableId: notice.tableId, sessionId: notice.sessionId, kind: notice.kind, paymentId: notice.paymentId ?? "", amountWon: notice.amountWon, at: notice.at }));
      if (this.state.payments.length > adminLimits.paymentEventsShown) this.state.payments.splice(adminLimits.paymentEventsShown);
      this.broadcastPatch();
      this.broadcast("payment", notice);
    }));
    // A Node timer: broadcastPatch ticks the room clock, which would re-enter a room-clock timer.
    this.#timer = setInterval(() => this.#refresh(), adminLimits.refreshEveryMs);
  }

  #refresh(): void {
    const storeId = this.state.storeId;
    for (const h of this.ctx.printing.health(storeId)) {
      const view = this.state.printers.get(h.printerId) ?? new PrinterView({ printerId: h.printerId, name: h.name, address: h.address });
      Object.assign(view, {
        reachable: h.reachable, coverOpen: h.status?.coverOpen ?? false, paperOut: h.status?.paperOut ?? false, paperNearEnd: h.status?.paperNearEnd ?? false,
        lastError: h.lastError ?? "", checkedAt: h.checkedAt ?? "", consecutiveFailures: h.consecutiveFailures, failedOverTo: h.failedOverTo ?? "", pending: h.pending,
      });
      if (!this.state.printers.has(h.printerId)) this.state.printers.set(h.printerId, view);
    }
    const failed = this.ctx.prints.failedSlips(storeId, adminLimits.failedShown);
    const keys = new Set(failed.map((s) => s.slipKey));
    for (const key of [...this.state.failedSlips.keys()]) if (!keys.has(key)) this.state.failedSlips.delete(key);
    for (const s of failed) {
      const view = this.state.failedSlips.get(s.slipKey) ?? new SlipView({ slipKey: s.slipKey, ticketId: s.ticketId, stationId: s.stationId, printerId: s.printerId, state: s.state });
      Object.assign(view, { printerId: s.printerId, state: s.state, attempts: s.attempts, reprintNo: s.reprintNo, lastError: s.lastError ?? "", updatedAt: s.updatedAt });
      if (!this.state.failedSlips.has(s.slipKey)) this.state.failedSlips.set(s.slipKey, view);
    }
    const jobs = this.ctx.prints.recentJobs(storeId, adminLimits.jobsShown);
    const same = jobs.length === this.state.jobs.length && jobs.every((j, i) => this.state.jobs[i]?.jobId === j.jobId && this.state.jobs[i]?.state === j.state);
    if (!same) {
      this.state.jobs.splice(0, this.state.jobs.length, ...jobs.map((j) => new JobView({
        jobId: j.jobId, slipKey: j.slipKey, printerId: j.printerId, attempt: j.attempt, marked: j.marked, state: j.state, error: j.error ?? "", createdAt: j.createdAt, finishedAt: j.finishedAt ?? "",
      })));
    }
    this.broadcastPatch();
  }

  override onDispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    clearInterval(this.#timer);
  }

  /** A bug is logged; the consoles stay connected (what they show is re-read from storage every refresh). */
  override onUncaughtException(error: Error, methodName: string): void {
    this.ctx.log.error(`admin ${this.state.storeId}: uncaught in ${methodName}`, error);
  }
}

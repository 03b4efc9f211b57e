import { orderLimits, priceLine, isActive, totalOf, type LineRequest, type Menu } from "../../domain/index.ts";
import type { Outcome } from "../command-pipeline.ts";
import { DraftLineState, type TableState } from "../table-state.ts";
import { fromDomainError, wireError } from "../../protocol/codes.ts";

export interface DraftEdit {
  readonly lineId?: string;
  readonly menuId?: string;
  readonly quantity?: number | undefined;
  readonly optionIds?: readonly string[] | undefined;
  readonly note?: string | undefined;
}

/**
 * The shared draft of a table (R-ORD-1): priced on every edit so terminals see errors early,
 * held only in room state, never written to the database (R-ORD-3).
 */
export class Draft {
  constructor(private readonly state: TableState, private readonly menu: () => Menu, private readonly newId: () => string) {}

  add(edit: DraftEdit, addedBy: string, sessionStatus: string): Outcome {
    if (!isActive(sessionStatus as never)) return notOpen(sessionStatus);
    if (this.state.draft.size >= orderLimits.draftLinesMax) return { ok: false, error: wireError("LIMIT_EXCEEDED", "draft is full", { max: orderLimits.draftLinesMax }) };
    const request: LineRequest = { menuId: edit.menuId ?? "", quantity: edit.quantity ?? 1, optionIds: edit.optionIds ?? [], note: edit.note ?? "" };
    const priced = priceLine(this.menu(), request);
    if (!priced.ok) return { ok: false, error: fromDomainError(priced.error) };
    // The draft's total is bounded like a batch's: a draft that could never be confirmed is refused now.
    const total = totalOf("draft", [...[...this.state.draft.values()].map((l) => l.lineTotalWon), priced.line.lineTotal]);
    if (!total.ok) return { ok: false, error: fromDomainError(total.error) };
    const lineId = this.newId();
    const line = new DraftLineState({ lineId, addedBy, menuId: "", name: "" });
    this.#write(line, request, priced.line);
    this.state.draft.set(lineId, line);
    return this.#changed({ lineId });
  }

  change(edit: DraftEdit & { lineId: string }, sessionStatus: string): Outcome {
    if (!isActive(sessionStatus as never)) return notOpen(sessionStatus);
    const line = this.state.draft.get(edit.lineId);
    if (!line) return { ok: false, error: wireError("NOT_FOUND", "no such draft line", { lineId: edit.lineId }) };
    const request: LineRequest = {
      menuId: line.menuId,
      quantity: edit.quantity ?? line.quantity,
      optionIds: edit.optionIds ?? [...line.optionIds],
      note: edit.note ?? line.note,
    };
    const priced = priceLine(this.menu(), request);
    if (!priced.ok) return { ok: false, error: fromDomainError(priced.error) };
    const others = [...this.state.draft.values()].filter((l) => l !== line).map((l) => l.lineTotalWon);
    const total = totalOf("draft", [...others, priced.line.lineTotal]);
    if (!total.ok) return { ok: false, error: fromDomainError(total.error) };
    this.#write(line, request, priced.line); // mutate in place: a replaced instance re-fires onAdd on clients
    return this.#changed({ lineId: edit.lineId });
  }

  remove(lineId: string): Outcome {
    if (!this.state.draft.has(lineId)) return { ok: false, error: wireError("NOT_FOUND", "no such draft line", { lineId }) };
    this.state.draft.delete(lineId);
    return this.#changed({ lineId });
  }

  clear(): Outcome {
    this.state.draft.clear();
    return this.#changed({});
  }

  /** The lines a confirm would fix, in the order they were added. */
  requests(): LineRequest[] {
    return [...this.state.draft.values()].map((l) => ({ menuId: l.menuId, quantity: l.quantity, optionIds: [...l.optionIds], note: l.note }));
  }

  get version(): number {
    return this.state.draftVersion;
  }

  #write(line: DraftLineState, request: LineRequest, priced: ReturnType<typeof priceLine> extends infer R ? R extends { ok: true; line: infer L } ? L : never : never): void {
    line.menuId = priced.menuId;
    line.name = priced.name;
    line.quantity = priced.quantity;
    line.unitPriceWon = priced.unitPrice;
    line.optionIds.splice(0, line.optionIds.length, ...request.optionIds);
    line.optionNames.splice(0, line.optionNames.length, ...priced.options.map((o) => o.name));
    line.note = priced.note;
    line.lineTotalWon = priced.lineTotal;
  }

  #changed(data: Record<string, unknown>): Outcome {
    this.state.draftVersion += 1;
    let total = 0;
    for (const line of this.state.draft.values()) total += line.lineTotalWon;
    this.state.draftTotalWon = total;
    return { ok: true, data: { ...data, draftVersion: this.state.draftVersion, draftTotalWon: total } };
  }
}

function notOpen(status: string): Outcome {
  if (status === "timed_out") return { ok: false, error: wireError("SESSION_TIMED_OUT", "the session timed out; resume it first (session.resume)", { status }) };
  return status === "none"
    ? { ok: false, error: wireError("NO_SESSION", "open the table first (session.open)") }
    : { ok: false, error: wireError("SESSION_CLOSED", `session is ${status}`, { status }) };
}

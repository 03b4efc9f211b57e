/** A small demo store for domain and storage tests: real decide/evolve, no mocks. */
import {
  buildMenu, decide, fold, initialSessionState, won,
  type ActorRef, type CancelItem, type ChangeItemQuantity, type CloseSession, type ConfirmDraft,
  type Decision, type LineRequest, type Menu, type OpenSession, type SessionCommand, type SessionEvent, type SessionState,
} from "../../domain/index.ts";

export const staff: ActorRef = { id: "staff-1", role: "staff", name: "민지" };
export const admin: ActorRef = { id: "admin-1", role: "admin", name: "사장님" };
export const at = "2026-11-26T12:00:00.000Z";

/**
 * 김치찌개 9000 (kitchen): 맵기 exactly one (순한맛 0, 매운맛 0), 추가 up to two (계란 +1000, 라면사리 +1500).
 * 생맥주 5000 (bar): 사이즈 exactly one (500cc 0, 1000cc +4000). 계란말이 8000 (kitchen), no options.
 * 모둠전 15000 (kitchen) is sold out.
 */
export const menu: Menu = buildMenu(
  [
    {
      id: "kimchi-stew", name: "김치찌개", price: won(9000), stationId: "kitchen", soldOut: false,
      optionGroups: [
        { id: "spicy", name: "맵기", minSelect: 1, maxSelect: 1, choices: [
          { id: "mild", name: "순한맛", priceDelta: won(0) },
          { id: "hot", name: "매운맛", priceDelta: won(0) },
        ] },
        { id: "extra", name: "추가", minSelect: 0, maxSelect: 2, choices: [
          { id: "egg", name: "계란", priceDelta: won(1000) },
          { id: "ramen", name: "라면사리", priceDelta: won(1500) },
        ] },
      ],
    },
    {
      id: "draft-beer", name: "생맥주", price: won(5000), stationId: "bar", soldOut: false,
      optionGroups: [
        { id: "size", name: "사이즈", minSelect: 1, maxSelect: 1, choices: [
          { id: "500cc", name: "500cc", priceDelta: won(0) },
          { id: "1000cc", name: "1000cc", priceDelta: won(4000) },
        ] },
      ],
    },
    { id: "egg-roll", name: "계란말이", price: won(8000), stationId: "kitchen", soldOut: false, optionGroups: [] },
    { id: "pancake", name: "모둠전", price: won(15000), stationId: "kitchen", soldOut: true, optionGroups: [] },
  ],
  [{ id: "kitchen", name: "주방" }, { id: "bar", name: "바" }],
);

export const context = { menu };

export function line(menuId: string, quantity: number, optionIds: readonly string[] = [], note = ""): LineRequest {
  return { menuId, quantity, optionIds, note };
}

/** The usual valid lines: a mild stew, a 500cc beer, an egg roll. */
export const stewLine = (quantity = 1, extras: readonly string[] = []) => line("kimchi-stew", quantity, ["mild", ...extras]);
export const beerLine = (quantity = 1, size = "500cc") => line("draft-beer", quantity, [size]);
export const eggRollLine = (quantity = 1) => line("egg-roll", quantity);

export function openSession(overrides: Partial<OpenSession> = {}): OpenSession {
  return { type: "OpenSession", sessionId: "s-1", storeId: "store-1", tableId: "t-1", guests: 2, actor: staff, at, ...overrides };
}

export function confirmDraft(lines: readonly LineRequest[], overrides: Partial<ConfirmDraft> = {}): ConfirmDraft {
  return { type: "ConfirmDraft", batchId: "b1", source: "pos", lines, actor: staff, at, ...overrides };
}

export function cancelItem(itemId: string, overrides: Partial<CancelItem> = {}): CancelItem {
  return { type: "CancelItem", itemId, reason: "손님 요청", actor: staff, at, ...overrides };
}

export function changeQuantity(itemId: string, quantity: number, newItemId: string, overrides: Partial<ChangeItemQuantity> = {}): ChangeItemQuantity {
  return { type: "ChangeItemQuantity", itemId, quantity, newItemId, reason: "수량 변경", actor: staff, at, ...overrides };
}

export function closeSession(overrides: Partial<CloseSession> = {}): CloseSession {
  return { type: "CloseSession", reason: "", actor: staff, at, ...overrides };
}

/** Given these events (folded from scratch, invariants checked). */
export function given(...events: SessionEvent[]): SessionState {
  return fold(events, initialSessionState());
}

/** Decides and insists on acceptance: for building histories in a test's "given" part. */
export function accepted(command: SessionCommand, state: SessionState): SessionEvent[] {
  const decision = decide(command, state, context);
  if (!decision.ok) throw new Error(`expected ${command.type} to be accepted, got ${decision.error.code}`);
  return decision.events;
}

/** Runs commands one after another from the empty stream; returns every event and the final state. */
export function history(...commands: SessionCommand[]): { events: SessionEvent[]; state: SessionState } {
  let state = initialSessionState();
  const events: SessionEvent[] = [];
  for (const command of commands) {
    const produced = accepted(command, state);
    events.push(...produced);
    state = fold(produced, state);
  }
  return { events, state };
}

export function errorCode(decision: Decision): string | undefined {
  return decision.ok ? undefined : decision.error.code;
}

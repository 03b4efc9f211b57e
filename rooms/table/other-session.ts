import { wireError, type WireError } from "../../protocol/codes.ts";
import type { TableCommand } from "../../protocol/table-commands.ts";

/**
 * R-CON-2: a command decided on one session (`expectedSessionId`) never lands on another. Versions
 * are counted per session, so after the guests paid and new ones sat down the next session can
 * reach the same version: expectedVersion alone would let a discount, a close or a payment meant
 * for the previous guests through onto the new bill.
 */
export function otherSessionError(command: TableCommand, currentSessionId: string): WireError | undefined {
  const expected = "expectedSessionId" in command ? command.expectedSessionId : undefined;
  if (expected === undefined || expected === currentSessionId) return undefined;
  return wireError("SESSION_CLOSED", "this command was decided on another session of this table; look at the table again", {
    rule: "other_session", expectedSessionId: expected, sessionId: currentSessionId === "" ? null : currentSessionId,
  });
}

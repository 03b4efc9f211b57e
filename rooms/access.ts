import type { Principal, Role } from "./context.ts";

/** What a room or an HTTP resource belongs to, read from the resource itself, never from the caller. */
export interface ResourceScope {
  readonly storeId: string;
  /** Set for table rooms; a customer (QR) principal is bound to one table. */
  readonly tableId?: string;
}

export type AccessDenied = { readonly status: 403; readonly code: "FORBIDDEN"; readonly message: string };

/**
 * The one authorization rule of every entry point (room joins on every join path, HTTP routes,
 * printer emulator views): the principal's role must be allowed there, and its store must be the
 * store the resource belongs to. Returns why not, or undefined when access is granted.
 */
export function authorize(principal: Principal, roles: readonly Role[], resource: ResourceScope): AccessDenied | undefined {
  if (!roles.includes(principal.role)) return { status: 403, code: "FORBIDDEN", message: `role ${principal.role} may not use this` };
  if (principal.storeId !== resource.storeId) return { status: 403, code: "FORBIDDEN", message: "this belongs to another store" };
  // A customer reaches only the table its QR token was made for, and nothing that is not a table.
  if (principal.role === "customer" && (resource.tableId === undefined || principal.tableId !== resource.tableId)) {
    return { status: 403, code: "FORBIDDEN", message: "this belongs to another table" };
  }
  return undefined;
}

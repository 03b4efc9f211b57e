/**
 * Sizes a decoded message without building anything from it. The old check ran JSON.stringify
 * over the decoded value, so a small msgpack frame whose records expand (one key list shared by
 * thousands of objects) cost seconds and gigabytes before it could be refused. This walk stops
 * at the first limit it crosses, so its cost is bounded by the limits, not by the input.
 */
export interface MeasureLimits {
  /** Counted as UTF-8 bytes of keys and strings plus a few bytes per value (close to msgpack's size). */
  readonly bytesMax: number;
  /** Objects and arrays inside objects and arrays. */
  readonly depthMax: number;
  /** Every value, keys excluded. */
  readonly nodesMax: number;
}

export type Measured =
  | { readonly ok: true; readonly bytes: number; readonly nodes: number }
  | { readonly ok: false; readonly reason: "too_large" | "too_deep" | "too_many_values"; readonly limit: number }
  | { readonly ok: false; readonly reason: "not_plain_data" };

/** Per value: a type tag and a length, as msgpack spends them. */
const overheadBytes = 2;

export function measurePlain(value: unknown, limits: MeasureLimits): Measured {
  let bytes = 0;
  let nodes = 0;
  // An explicit stack: a deeply nested value must not overflow ours while we refuse it.
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    nodes += 1;
    if (nodes > limits.nodesMax) return { ok: false, reason: "too_many_values", limit: limits.nodesMax };
    bytes += overheadBytes;
    switch (typeof current) {
      case "string":
        bytes += utf8Length(current, limits.bytesMax - bytes);
        break;
      case "number":
        bytes += 8;
        break;
      case "boolean":
      case "undefined":
        break;
      case "object": {
        if (current === null) break;
        if (depth >= limits.depthMax) return { ok: false, reason: "too_deep", limit: limits.depthMax };
        if (Array.isArray(current)) {
          // A sparse or huge array is refused by its length before any element is touched.
          if (current.length > limits.nodesMax) return { ok: false, reason: "too_many_values", limit: limits.nodesMax };
          for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], depth: depth + 1 });
          break;
        }
        const proto = Object.getPrototypeOf(current);
        if (proto !== Object.prototype && proto !== null) return { ok: false, reason: "not_plain_data" };
        for (const key of Object.keys(current)) {
          bytes += overheadBytes + utf8Length(key, limits.bytesMax - bytes);
          if (bytes > limits.bytesMax) return { ok: false, reason: "too_large", limit: limits.bytesMax };
          stack.push({ value: (current as Record<string, unknown>)[key], depth: depth + 1 });
        }
        break;
      }
      default:
        // bigint, symbol, function: nothing a command can carry.
        return { ok: false, reason: "not_plain_data" };
    }
    if (bytes > limits.bytesMax) return { ok: false, reason: "too_large", limit: limits.bytesMax };
  }
  return { ok: true, bytes, nodes };
}

/** UTF-8 length of a string, counting at most `budget + 1` bytes (enough to know it is too big). */
export function utf8Length(text: string, budget: number): number {
  // Each UTF-16 unit is at most 3 UTF-8 bytes: a short string is measured exactly and cheaply.
  if (text.length * 3 <= budget) return Buffer.byteLength(text, "utf8");
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= budget; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

/**
 * clients/ (but clients/node/**, Node-only storage for the offline queue) and protocol/ run in a
 * browser too: no file there may import a Node built-in, directly or through any relative import
 * (domain/ files they pull in count too), and none may pull in clients/node/**.
 */
const root = resolve(import.meta.dirname, "../..");
const nodeOnly = join(root, "clients/node");
const builtins = new Set(builtinModules.flatMap((m) => [m, m.split("/")[0]!]));

/** `node:x`, or a bare name that is a Node built-in (`fs`, `crypto`, `fs/promises`, …). */
export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith("node:") || builtins.has(specifier) || builtins.has(specifier.split("/")[0]!);
}

/** Module specifiers of static imports and re-exports, side-effect imports, dynamic imports and requires (type-only ones too). */
export function specifiersOf(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1]!));
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (path === nodeOnly) return [];
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** Walks relative imports from the roots; returns every problem with the chain that led to it. */
function problemsFrom(roots: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const walk = (file: string, chain: readonly string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const path = [...chain, relative(root, file)];
    for (const specifier of specifiersOf(readFileSync(file, "utf8"))) {
      if (isNodeBuiltin(specifier)) problems.push(`${path.join(" → ")} imports ${specifier}`);
      else if (specifier.startsWith(".")) {
        const target = resolve(dirname(file), specifier);
        if (target === nodeOnly || target.startsWith(`${nodeOnly}/`)) problems.push(`${path.join(" → ")} imports Node-only ${relative(root, target)}`);
        else walk(target, path);
      }
    }
  };
  for (const file of roots) walk(file, []);
  return problems;
}

test("the import scanner sees every form of import, and knows Node built-ins", () => {
  const source = `import { a } from "node:fs";\nimport type { B } from 'crypto';\nexport * from "./x.ts";\nimport "net";\nconst c = await import("fs/promises");\nconst d = require("os");\nexport { e } from "@colyseus/sdk";`;
  assert.equal(specifiersOf(source).sort(), ["./x.ts", "@colyseus/sdk", "crypto", "fs/promises", "net", "node:fs", "os"]);
  assert.equal(["node:fs", "crypto", "fs/promises", "net", "os", "./x.ts", "@colyseus/sdk", "zod"].map(isNodeBuiltin), [true, true, true, true, true, false, false, false]);
});

test("clients/ and protocol/ import no Node built-in, directly or through their relative imports", () => {
  const roots = [join(root, "clients/index.ts"), join(root, "protocol/index.ts"), ...tsFiles(join(root, "clients")), ...tsFiles(join(root, "protocol"))];
  assert.ok(roots.length > 10, "the roots were found");
  assert.equal(problemsFrom(roots), []);
});

test.run();

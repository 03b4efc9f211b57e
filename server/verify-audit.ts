// npm run verify-audit -- <sqlite file>: proves no audit row was altered or removed (exit 1 if one was).
import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { verifyAuditChain } from "../storage/index.ts";

const file = resolve(process.argv[2] ?? join(process.env.DATA_DIR ?? "data", "table-session.sqlite"));
if (!existsSync(file)) {
  console.error(`no database at ${file}`);
  process.exit(2);
}
const db = new Database(file, { readonly: true, fileMustExist: true });
const verdict = verifyAuditChain(db);
db.close();
if (verdict.ok) {
  console.log(`audit log intact: ${verdict.rows} rows chained (${file})`);
} else {
  console.error(`AUDIT LOG BROKEN after ${verdict.rows} good rows: ${verdict.problem} (${file})`);
  process.exit(1);
}

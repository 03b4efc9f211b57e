import { pino, type Logger as PinoLogger } from "pino";

/** Fields attached to one log record (store, room, cmdId, latency, ...). */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Leveled logger; LOG_LEVEL=warn keeps tests and benchmarks quiet. Backed by pino: one JSON object
 * per line on stdout (`level` as a name, `time` ISO, `msg`, then the fields). LOG_FORMAT=text
 * (the default when stdout is a terminal) prints `<time> LEVEL message {fields}` lines instead.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, error?: unknown, fields?: LogFields): void;
}

const levels = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 } as const;
type Level = keyof typeof levels;

function levelOf(level: string | undefined): Level {
  return level !== undefined && Object.hasOwn(levels, level) ? (level as Level) : "info";
}

export function createLogger(level: string | undefined = process.env.LOG_LEVEL, format: string | undefined = process.env.LOG_FORMAT): Logger {
  const name = levelOf(level);
  // Unset: JSON, except on a terminal (a person reading `npm start`), which gets the text lines.
  const text = format === "text" || (format !== "json" && process.stdout.isTTY === true);
  return text ? textLogger(name) : jsonLogger(name);
}

/** JSON lines through pino, written synchronously (a line logged just before process.exit is not lost). */
function jsonLogger(level: Level): Logger {
  const log: PinoLogger = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ dest: 1, sync: true }),
  );
  return {
    debug: (m, f) => log.debug(f ?? {}, m),
    info: (m, f) => log.info(f ?? {}, m),
    warn: (m, f) => log.warn(f ?? {}, m),
    error: (m, e, f) => log.error(e === undefined ? f ?? {} : { ...f, err: e }, m),
  };
}

/** The human-readable lines (LOG_FORMAT=text). */
function textLogger(level: Level): Logger {
  const threshold = levels[level];
  const at = () => new Date().toISOString();
  const tail = (f: LogFields | undefined) => (f && Object.keys(f).length > 0 ? ` ${JSON.stringify(f)}` : "");
  return {
    debug: (m, f) => { if (threshold <= levels.debug) console.log(`${at()} DEBUG ${m}${tail(f)}`); },
    info: (m, f) => { if (threshold <= levels.info) console.log(`${at()} INFO ${m}${tail(f)}`); },
    warn: (m, f) => { if (threshold <= levels.warn) console.warn(`${at()} WARN ${m}${tail(f)}`); },
    error: (m, e, f) => { if (threshold <= levels.error) console.error(`${at()} ERROR ${m}${tail(f)}`, e ?? ""); },
  };
}

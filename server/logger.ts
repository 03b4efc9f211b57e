/** Minimal leveled logger; LOG_LEVEL=warn keeps tests and benchmarks quiet. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

const levels = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 } as const;

export function createLogger(level: string | undefined = process.env.LOG_LEVEL): Logger {
  const threshold = levels[(level as keyof typeof levels) ?? "info"] ?? levels.info;
  const at = () => new Date().toISOString();
  return {
    info: (m) => { if (threshold <= levels.info) console.log(`${at()} INFO ${m}`); },
    warn: (m) => { if (threshold <= levels.warn) console.warn(`${at()} WARN ${m}`); },
    error: (m, e) => { if (threshold <= levels.error) console.error(`${at()} ERROR ${m}`, e ?? ""); },
  };
}

/** Levels the engine logs at; the extension maps them onto its LogOutputChannel. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/**
 * The engine never calls `console` directly: it is handed a logger, so the CLI can print,
 * the trainer can forward lines as events, and tests can stay quiet.
 */
export interface Logger {
  log(level: LogLevel, message: string): void;
}

/** A logger that drops everything; the default in tests. */
export const silentLogger: Logger = { log: () => undefined };

/** Writes to standard error, so standard output stays free for results. */
export function stderrLogger(minimum: LogLevel = 'info'): Logger {
  const order: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];
  const threshold = order.indexOf(minimum);

  return {
    log(level, message) {
      if (order.indexOf(level) >= threshold) process.stderr.write(`[${level}] ${message}\n`);
    },
  };
}

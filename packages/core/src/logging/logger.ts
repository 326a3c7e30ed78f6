/** Structured logging: one JSON object per line, fields carried by child loggers. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogRecord {
  time: string;
  level: LogLevel;
  msg: string;
  [field: string]: unknown;
}

/** Writes JSON lines to a sink (stdout by default); `level` drops what is below it. */
export class JsonLogger implements Logger {
  constructor(
    private readonly sink: (record: LogRecord) => void = (r) => process.stdout.write(JSON.stringify(r) + '\n'),
    private readonly level: LogLevel = 'info',
    private readonly fields: Record<string, unknown> = {},
  ) {}

  debug(msg: string, fields?: Record<string, unknown>): void { this.write('debug', msg, fields); }
  info(msg: string, fields?: Record<string, unknown>): void { this.write('info', msg, fields); }
  warn(msg: string, fields?: Record<string, unknown>): void { this.write('warn', msg, fields); }
  error(msg: string, fields?: Record<string, unknown>): void { this.write('error', msg, fields); }

  child(fields: Record<string, unknown>): Logger {
    return new JsonLogger(this.sink, this.level, { ...this.fields, ...fields });
  }

  private write(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (RANK[level] < RANK[this.level]) return;
    this.sink({ time: new Date().toISOString(), level, msg, ...this.fields, ...fields });
  }
}

/** A logger that keeps nothing: for tests and benchmarks that do not read logs. */
export const silentLogger: Logger = {
  debug() {}, info() {}, warn() {}, error() {},
  child() { return silentLogger; },
};

import type { LoggerService, LogLevel } from '@nestjs/common';
import { requestContext } from './request-context.js';

/** One JSON object per line on stdout: time, level, context, message, and the request id inside a request. */
export class JsonLogger implements LoggerService {
  private enabled: Set<LogLevel>;

  constructor(
    levels: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log'],
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
  ) {
    this.enabled = new Set(levels);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.enabled = new Set(levels);
  }

  private emit(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (!this.enabled.has(level)) return;
    // Nest passes the context last; an error's stack comes before it
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const extra = context === undefined ? rest : rest.slice(0, -1);
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level, context };
    const request = requestContext.getStore();
    if (request) entry.requestId = request.requestId;
    if (message !== null && typeof message === 'object' && !(message instanceof Error)) Object.assign(entry, message);
    else entry.message = message instanceof Error ? message.message : String(message);
    if (extra.length > 0 && typeof extra[0] === 'string' && extra[0].includes('\n')) entry.stack = extra[0];
    this.write(`${JSON.stringify(entry)}\n`);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.emit('fatal', message, rest);
  }
}

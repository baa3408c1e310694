import { DomainError } from '../domain/errors.js';

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;

/** The one place where errors become exit codes and messages for a person at a terminal. */
export function reportCliError(error: unknown, write: (text: string) => void = (t) => process.stderr.write(t)): number {
  if (error instanceof DomainError) {
    write(`错误 [${error.code}] ${error.messageZh}\n`);
    for (const line of error.details) write(`  - ${line}\n`);
    write(`(${error.message})\n`);
    return error.category === 'internal' || error.category === 'unavailable' ? EXIT_INTERNAL : EXIT_BAD_INPUT;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  write(`内部错误 [INTERNAL_ERROR]：${error instanceof Error ? error.message : String(error)}\n${text}\n`);
  return EXIT_INTERNAL;
}

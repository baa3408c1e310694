import { EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, exitCodeOf } from '../domain/error-catalogue.js';
import { DomainError } from '../domain/errors.js';

export { EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK };

/** The one place where errors become exit codes and messages for a person at a terminal. */
export function reportCliError(error: unknown, write: (text: string) => void = (t) => process.stderr.write(t)): number {
  if (error instanceof DomainError) {
    write(`错误 [${error.code}] ${error.messageZh}\n`);
    for (const line of error.details) write(`  - ${line}\n`);
    write(`(${error.message})\n`);
    return exitCodeOf(error.category);
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  write(`内部错误 [INTERNAL_ERROR]：${error instanceof Error ? error.message : String(error)}\n${text}\n`);
  return EXIT_INTERNAL;
}

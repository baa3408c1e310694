import { InvalidArgumentError, type Command } from 'commander';
import type { CliOptions } from './cli-context.js';

export const wholeNumber = (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number >= 0');
  return Number(value);
};

export const positiveWholeNumber = (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('must be a whole number >= 1');
  return Number(value);
};

/** The options every command shares (set on the program itself). */
export function globalOptions(program: Command): CliOptions {
  return program.opts();
}

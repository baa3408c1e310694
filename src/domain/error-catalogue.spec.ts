import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ERROR_CATALOGUE,
  ERROR_CATEGORIES,
  exitCodeOf,
  httpStatusOf,
  isErrorCategory,
  isErrorCode,
  type ErrorCategory,
  type ErrorCode,
} from './error-catalogue.js';

const SRC = fileURLToPath(new URL('..', import.meta.url));
const CATALOGUE_FILE = join(SRC, 'domain', 'error-catalogue.ts');

/** The TypeScript of src/ that runs: not the catalogue itself, not the specs. */
function sourceTexts(): { file: string; text: string }[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .map((name) => join(SRC, name))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts') && !file.endsWith('.d.ts') && file !== CATALOGUE_FILE)
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

const codes = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

describe('error catalogue', () => {
  it('uses every code it lists somewhere in src/ (outside the catalogue and the specs)', () => {
    const texts = sourceTexts();
    expect(texts.length).toBeGreaterThan(50);
    const unused = codes.filter((code) => !texts.some(({ text }) => text.includes(`'${code}'`)));
    expect(unused).toEqual([]);
  });

  it('names codes in UPPER_SNAKE_CASE with a category and a Chinese explanation', () => {
    for (const code of codes) {
      const { category, zh } = ERROR_CATALOGUE[code];
      expect([code, isErrorCategory(category)]).toEqual([code, true]);
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/);
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(isErrorCode('RUN_NOT_FOUND')).toBe(true);
    expect(isErrorCode('REQUIRED')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
  });

  it('maps every category to an HTTP status and a CLI exit code', () => {
    const expected: Record<ErrorCategory, [number, number]> = {
      bad_input: [400, 2],
      unauthorized: [401, 2],
      forbidden: [403, 2],
      not_found: [404, 2],
      conflict: [409, 2],
      too_many_requests: [429, 2],
      unavailable: [503, 1],
      internal: [500, 1],
    };
    expect([...ERROR_CATEGORIES].sort()).toEqual(Object.keys(expected).sort());
    for (const category of ERROR_CATEGORIES) expect([category, httpStatusOf(category), exitCodeOf(category)]).toEqual([category, ...expected[category]]);
  });

  it('gives every code a status and a non-zero exit code', () => {
    for (const code of codes) {
      const { category } = ERROR_CATALOGUE[code];
      expect(httpStatusOf(category)).toBeGreaterThanOrEqual(400);
      expect(exitCodeOf(category)).not.toBe(0);
    }
  });
});

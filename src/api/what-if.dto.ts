import { badInput } from '../domain/errors.js';
import { parsePeriod } from '../domain/period.js';
import { parseBody, type BodySchema } from './body.js';

/** Body of POST /runs/what-if: a draft rule set's files and the run to compare with. */
export interface WhatIfBody {
  period: string;
  streetCode: string | null;
  compareRunId: number;
  /** file name → JSON text, as in a rules/ directory */
  ruleSetFiles: Record<string, string>;
}

/** For the API documentation (ruleSetFiles is an object of strings, checked below). */
export const WHAT_IF_BODY: BodySchema = {
  period: { type: 'string', required: true },
  streetCode: { type: 'string' },
  compareRunId: { type: 'integer', required: true },
  ruleSetFiles: { type: 'object', required: true, description: 'file name → JSON text, as in a rules/ directory' },
};

/** Checks the body (unknown fields are refused by name), then the period and the files' texts. */
export function parseWhatIfBody(body: unknown): WhatIfBody {
  const b = parseBody<{ period: string; streetCode?: string; compareRunId: number; ruleSetFiles: Record<string, unknown> }>(body, WHAT_IF_BODY);
  const problems: string[] = [];
  if (!parsePeriod(b.period)) problems.push('period must be a period such as 2025 or 2025-Q3');
  if (Object.values(b.ruleSetFiles).some((v) => typeof v !== 'string')) problems.push('ruleSetFiles must map file names to their JSON text');
  if (problems.length > 0) throw badInput('BODY_INVALID', problems.join('; '), `请求体有误：${problems.join('；')}`, problems);
  return { period: b.period, streetCode: b.streetCode ?? null, compareRunId: b.compareRunId, ruleSetFiles: b.ruleSetFiles as Record<string, string> };
}

import { badInput } from '../domain/errors.js';
import { parsePeriod } from '../domain/period.js';
import type { BodySchema } from './body.js';

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

const FIELDS = new Set(Object.keys(WHAT_IF_BODY));

/** Checks the body; unknown fields are refused by name. */
export function parseWhatIfBody(body: unknown): WhatIfBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badInput('BODY_INVALID', 'the body must be a JSON object', '请求体须为 JSON 对象');
  const b = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(b)) if (!FIELDS.has(key)) problems.push(`unknown field "${key}"`);
  if (typeof b.period !== 'string' || !parsePeriod(b.period)) problems.push('period must be a period such as 2025 or 2025-Q3');
  if (b.streetCode !== undefined && b.streetCode !== null && typeof b.streetCode !== 'string') problems.push('streetCode must be a string or null');
  if (!Number.isInteger(b.compareRunId)) problems.push('compareRunId must be a run id');
  const files = b.ruleSetFiles;
  if (!files || typeof files !== 'object' || Array.isArray(files) || Object.values(files).some((v) => typeof v !== 'string')) {
    problems.push('ruleSetFiles must map file names to their JSON text');
  }
  if (problems.length > 0) throw badInput('BODY_INVALID', problems.join('; '), '请求体有误', problems);
  return { period: b.period as string, streetCode: (b.streetCode as string | null | undefined) ?? null, compareRunId: b.compareRunId as number, ruleSetFiles: files as Record<string, string> };
}

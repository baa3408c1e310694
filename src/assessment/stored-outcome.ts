import { createHash } from 'node:crypto';
import type { CompanyOutcome, ProjectOutcome } from './scoring.js';

export type { CompactTrace } from './trace.js';
export { expandTrace } from './trace.js';

/** Outcomes are stored as the core produces them (traces are compact already). */
export type StoredProjectOutcome = ProjectOutcome;
export type StoredCompanyOutcome = CompanyOutcome;

/** Canonical JSON → sha256: equal values give equal digests on every backend. */
export function digestOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** sha256 over the outcomes one by one, in order, without building one string of them all. */
export function outcomesDigest(projects: readonly unknown[], companies: readonly unknown[]): string {
  const hash = createHash('sha256');
  for (const p of projects) hash.update(JSON.stringify(p)).update('\n');
  hash.update('--\n');
  for (const c of companies) hash.update(JSON.stringify(c)).update('\n');
  return hash.digest('hex');
}

/**
 * A company's outcome as a reader who sees only some of its projects may read it (a street office
 * reads a company operating in its street): a veto at a project outside the reader's scope keeps
 * its reason and clause but not the project's code. Everything else of the company's result is
 * the company's as a whole and stays.
 */
export function companyOutcomeWithin<T extends Pick<StoredCompanyOutcome, 'vetoes'>>(outcome: T, projectVisible: (projectCode: string) => boolean): T {
  if (outcome.vetoes.every((v) => v.projectCode === null || projectVisible(v.projectCode))) return outcome;
  return {
    ...outcome,
    vetoes: outcome.vetoes.map((v) => (v.projectCode === null || projectVisible(v.projectCode) ? v : { ...v, projectCode: null, outsideScope: true })),
  };
}

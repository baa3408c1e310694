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

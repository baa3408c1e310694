import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json.js';
import { note, type Note } from './notes.js';
import type { CompanyOutcome, ProjectOutcome } from './scoring.js';

export type { CompactTrace } from './trace.js';
export { expandTrace } from './trace.js';

/** A stored note: a code with parameters, or a sentence in an outcome stored by redprop-scoring/2. */
export type StoredNote = Note | string;

/** Outcomes are stored as the core produces them (traces are compact already); older ones have sentences for notes. */
export type StoredProjectOutcome = Omit<ProjectOutcome, 'notes'> & { notes: StoredNote[] };
export type StoredCompanyOutcome = Omit<CompanyOutcome, 'notes'> & { notes: StoredNote[] };

/**
 * A stored note as the core reads it back. A sentence of redprop-scoring/2 becomes `legacyText`,
 * shown as it was, with the role its fixed wording had then (those sentences are never written
 * again, so this reading is closed): the star notes of a veto, which a revision writes afresh, and
 * the notes of earlier revisions, which it keeps last.
 */
export function storedNote(stored: StoredNote): Note {
  if (typeof stored !== 'string') return stored;
  const role = /^(企业)?一票否决（.*），不评星$/.test(stored) ? 'scoring' : /^第 \d+ 次修订：/.test(stored) ? 'revision' : 'facts';
  return note('legacyText', { text: stored, role });
}

/** sha256 over canonical JSON (RFC 8785): equal values give equal digests on every backend, whatever their key order. */
export function digestOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/**
 * sha256 over the outcomes one by one, in order, each as canonical JSON, without building one
 * string of them all. Outcomes hold numbers, ids and note codes, never rendered text, so changing
 * a sentence of the renderer changes no digest.
 */
export function outcomesDigest(projects: readonly unknown[], companies: readonly unknown[]): string {
  const hash = createHash('sha256');
  for (const p of projects) hash.update(canonicalJson(p)).update('\n');
  hash.update('--\n');
  for (const c of companies) hash.update(canonicalJson(c)).update('\n');
  return hash.digest('hex');
}

/** The engine versions whose run fingerprints were sha256 over JSON.stringify (key order as written). */
export const INSERTION_ORDER_DIGEST_ENGINES: ReadonlySet<string> = new Set(['redprop-scoring/1', 'redprop-scoring/2']);

/** The fingerprint digest of a run made by one of INSERTION_ORDER_DIGEST_ENGINES, to verify it as it was made. */
export function insertionOrderDigestOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
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

import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json.js';
import { note, type Note } from './notes.js';
import type { CompanyOutcome, ProjectOutcome } from './scoring.js';

export type { CompactTrace } from './trace.js';
import type { StoredTrace } from './trace.js';
export { expandTrace } from './trace.js';

/** A stored note: a code with parameters, or a sentence in an outcome stored by redprop-scoring/2. */
export type StoredNote = Note | string;

/** Outcomes are stored as the core produces them (traces are compact already); older ones have sentences for notes. */
export type StoredProjectOutcome = Omit<ProjectOutcome, 'notes' | 'trace'> & { notes: StoredNote[]; trace: StoredTrace };
export type StoredCompanyOutcome = Omit<CompanyOutcome, 'notes' | 'trace'> & { notes: StoredNote[]; trace: StoredTrace };

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

/** A run's outcomes as stored: each one's canonical JSON, the text that is also hashed. */
export interface SerialisedBatch {
  projects: { outcome: ProjectOutcome; json: string }[];
  companies: { outcome: CompanyOutcome; json: string }[];
}

/**
 * sha256 over a run's outcomes, each serialised once as canonical JSON (RFC 8785), company after
 * company: each company's projects, then the company; projects of no listed company last. The
 * same outcomes give the same digest however they are batched. Outcomes hold numbers, ids and
 * note codes, never rendered text, so changing a sentence of the renderer changes no digest.
 */
export class OutcomeDigest {
  private readonly hash = createHash('sha256');

  /** Adds a batch (projects grouped by company in the companies' order) and gives each outcome's JSON. */
  add(batch: { projects: readonly ProjectOutcome[]; companies: readonly CompanyOutcome[] }): SerialisedBatch {
    const serialised: SerialisedBatch = { projects: [], companies: [] };
    const project = (outcome: ProjectOutcome) => {
      const json = canonicalJson(outcome);
      this.hash.update('P ').update(json).update('\n');
      serialised.projects.push({ outcome, json });
    };
    let next = 0;
    for (const company of batch.companies) {
      while (next < batch.projects.length && batch.projects[next].companyId === company.companyId) project(batch.projects[next++]);
      const json = canonicalJson(company);
      this.hash.update('C ').update(json).update('\n');
      serialised.companies.push({ outcome: company, json });
    }
    while (next < batch.projects.length) project(batch.projects[next++]);
    return serialised;
  }

  value(): string {
    return this.hash.digest('hex');
  }
}

/** The digest of outcomes held at once (see OutcomeDigest). */
export function outcomesDigest(projects: readonly ProjectOutcome[], companies: readonly CompanyOutcome[]): string {
  const digest = new OutcomeDigest();
  digest.add({ projects, companies });
  return digest.value();
}

/** An outcome's lines as they are now: those stored before redprop-scoring/3 carried their rule's clause. */
export function withoutLineClauses<T extends object>(outcome: T): T {
  type Section = { lines: Record<string, unknown>[] };
  const sections = outcome as { parts?: Section[]; bonus?: Section; deductions?: Section };
  const strip = (section: Section) => ({ ...section, lines: section.lines.map(({ clause: _clause, ...line }) => line) });
  return {
    ...outcome,
    ...(sections.parts ? { parts: sections.parts.map(strip) } : {}),
    ...(sections.bonus ? { bonus: strip(sections.bonus) } : {}),
    ...(sections.deductions ? { deductions: strip(sections.deductions) } : {}),
  };
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

/** The rows the reports repository hands to the pure report content. */
import type { ListName, ListSeverity } from '../rules/rule-set.js';
import type { CompanyOutcomeView, ProjectOutcomeView } from './indicator-lines.js';

export interface RunInfo {
  id: number;
  periodCode: string;
  streetCode: string | null;
  ruleSetName: string;
  ruleSetVersion: string;
  ruleSetFingerprint: string;
  engineVersion: string;
  inputDigest: string;
  fingerprint: string;
  outcomeDigest: string;
  status: 'draft' | 'published' | 'superseded';
  createdAt: Date;
  publishedAt: Date | null;
}

/** What a report covers: every street, or one (with its name). */
/** What a report covers, fixed for its caller before it is written (ReportsService.prepare). */
export interface ReportScope {
  streetCode: string | null;
  streetName: string | null;
  /** draft runs answer for a period only to the bureau */
  draftsAllowed: boolean;
}

export interface ProjectRow {
  projectId: number;
  code: string;
  name: string;
  streetCode: string;
  streetName: string;
  communityName: string;
  companyUscc: string;
  companyName: string;
  households: number;
  assessed: boolean;
  total: number | null;
  stars: number | null;
  outcome: ProjectOutcomeView;
  /** the same project in the previous period's published run, if it was in it */
  previous: { assessed: boolean; total: number | null; stars: number | null } | null;
  /** 0: as the run stored it; n: the n-th revision after accepted appeals */
  revision: number;
}

/** A project's place in the ranking, read before its outcome is. */
export interface ProjectKey {
  projectId: number;
  code: string;
  total: number | null;
}

export interface CompanyRow {
  companyId: number;
  uscc: string;
  name: string;
  score: number | null;
  grade: string | null;
  /** projects of the company in the report's scope */
  projectsInScope: number;
  outcome: CompanyOutcomeView;
  previous: { score: number | null; grade: string | null } | null;
  /** 0: as the run stored it; n: the n-th revision after accepted appeals */
  revision: number;
}

export interface CompanyKey {
  companyId: number;
  uscc: string;
  score: number | null;
}

export interface ListTransitionRow {
  kind: 'entered' | 'held' | 'cleared' | 'exited' | 'expired';
  on: string;
  note: string;
}

export interface ListEntryRow {
  entryId: number;
  companyId: number;
  uscc: string;
  companyName: string;
  list: ListName;
  severity: ListSeverity;
  ruleId: string;
  clause: string;
  reason: string;
  startedOn: string;
  minEndOn: string;
  maxEndOn: string;
  /** in the order they were recorded */
  transitions: ListTransitionRow[];
}

export interface LedgerRow {
  id: number;
  uscc: string;
  companyName: string;
  entryDate: string;
  points: number;
  reason: string;
  ruleId: string;
  evidence: string | null;
  validFrom: string;
  validTo: string;
  reversesEntryId: number | null;
}

/** Counts of a stored result by a level (stars, grade) in this run and the previous one. */
export interface LevelPair<T> {
  previous: T | null;
  /** false when the subject was not in the previous run at all */
  inPrevious: boolean;
  current: T | null;
  count: number;
}

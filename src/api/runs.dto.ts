import { z } from 'zod';
import { parsePeriod } from '../domain/period.js';
import { Counts, Facts, IdParam, Instant, ListName, optional, PeriodText, RunStatus, Severity } from './schemas/common.schema.js';

// ---- requests -------------------------------------------------------------------------------

export const AssessBody = z.strictObject({
  period: PeriodText,
  streetCode: optional(z.string()).meta({ description: 'one street only (default: every street)' }),
  publish: optional(z.boolean()).meta({ description: 'publish the run: lists and credit ledger follow (default false)' }),
});
export type AssessBody = z.infer<typeof AssessBody>;

export const WhatIfBody = z.strictObject({
  period: z
    .string()
    .refine((v) => parsePeriod(v) !== null, { message: 'must be a period such as 2025 or 2025-Q3' })
    .meta({ example: '2025' }),
  streetCode: optional(z.string()),
  compareRunId: z.number().int().meta({ description: 'the stored run to compare with' }),
  ruleSetFiles: z.record(z.string(), z.string()).meta({ description: 'file name → JSON text, as in a rules/ directory' }),
});
export type WhatIfBody = z.infer<typeof WhatIfBody>;

export const RunIdParam = IdParam.meta({ description: 'run id' });
export const CompanyParam = z.string().meta({ description: '统一社会信用代码' });

// ---- answers --------------------------------------------------------------------------------

export const RunSummary = z
  .object({
    projectsAssessed: z.number().int(),
    projectsNotAssessed: z.number().int(),
    stars: Counts.meta({ description: 'stars → projects' }),
    grades: Counts.meta({ description: 'grade → companies' }),
    redListDecisions: z.number().int(),
    blackListDecisions: z.number().int(),
    smallSampleProjects: z.number().int(),
    vetoedCompanies: z.number().int(),
    listChanges: z.object({ entered: Counts, exited: Counts, expired: Counts }).optional().meta({ description: 'when published: list entries per list' }),
    ledgerEntries: z.number().int().optional().meta({ description: 'when published: credit ledger entries written' }),
  })
  .meta({ id: 'RunSummary' });

export const Run = z
  .object({
    id: z.number().int(),
    periodCode: z.string(),
    streetCode: z.string().nullable(),
    status: RunStatus,
    ruleSetName: z.string(),
    ruleSetVersion: z.string(),
    ruleSetFingerprint: z.string(),
    engineVersion: z.string(),
    inputDigest: z.string(),
    outcomeDigest: z.string(),
    fingerprint: z.string(),
    createdAt: Instant,
    publishedAt: Instant.nullable(),
    summary: RunSummary.optional().meta({ description: 'province-wide counts: the bureau only' }),
  })
  .meta({ id: 'Run' });
export const RunList = z.array(Run);

const ListDecision = z.object({ list: ListName, rule: z.string(), clause: z.string(), reason: z.string(), severity: Severity }).meta({ id: 'ListDecision' });

export const CompanyListingRow = z.object({
  companyId: z.number().int(),
  uscc: z.string(),
  name: z.string(),
  score: z.number().nullable(),
  grade: z.string().nullable(),
  revision: z.number().int(),
  lists: z.array(ListDecision),
});
export const CompanyListing = z.array(CompanyListingRow);

const ScoreLine = z
  .object({ rule: z.string(), points: z.number(), facts: Facts })
  .meta({ id: 'ScoreLine', description: 'a rule that gave points (its clause is the run’s rule set’s, quoted in the explanation)' });
const Bonus = z.object({ raw: z.number(), capped: z.number(), lines: z.array(ScoreLine) });
const Deductions = z.object({ total: z.number(), lines: z.array(ScoreLine) });
const Veto = z
  .object({
    rule: z.string(),
    clause: z.string(),
    reason: z.string(),
    severity: Severity,
    projectCode: z.string().nullable(),
    outsideScope: z.literal(true).optional().meta({ description: 'the veto was found at a project outside the caller’s scope (not named)' }),
  })
  .meta({ id: 'Veto' });
const Note = z
  .object({
    code: z.string().meta({ description: 'the note code (legacyText: a sentence stored by redprop-scoring/2)' }),
    params: z.record(z.string(), z.unknown()),
    text: z.string().meta({ description: 'the note in Chinese' }),
  })
  .meta({ id: 'Note' });
/** [rule, fired (1) or not (0), what it gave] */
const TraceStep = z.tuple([z.string(), z.union([z.literal(0), z.literal(1)]), z.string()]).meta({ description: '[rule, fired 1 | 0, result]' });

export const ExplainedCompany = z.object({
  companyId: z.number().int(),
  uscc: z.string(),
  name: z.string(),
  assessedProjects: z.number().int(),
  notAssessedProjects: z.number().int(),
  weighting: z.enum(['households', 'floorArea']),
  weightedScore: z.number().nullable(),
  bonus: Bonus,
  deductions: Deductions,
  score: z.number().nullable(),
  grade: z.string().nullable(),
  gradeRule: z.string().nullable(),
  vetoes: z.array(Veto),
  satisfactionRate: z.number().nullable(),
  badRecords: z.number().int(),
  lists: z.array(ListDecision),
  notes: z.array(Note),
  facts: Facts,
  trace: z.array(TraceStep),
  explanation: z.string().meta({ description: 'the readable explanation (Chinese)' }),
});

export const ExplainedProject = z.object({
  projectId: z.number().int(),
  projectCode: z.string(),
  projectName: z.string(),
  companyId: z.number().int(),
  companyUscc: z.string(),
  streetCode: z.string(),
  communityCode: z.string(),
  households: z.number().int(),
  floorAreaM2: z.number(),
  assessed: z.boolean(),
  notes: z.array(Note),
  facts: Facts,
  parts: z.array(z.object({ part: z.string(), label: z.string(), max: z.number(), points: z.number(), lines: z.array(ScoreLine) })),
  bonus: Bonus,
  deductions: Deductions,
  vetoes: z.array(Veto),
  total: z.number().nullable(),
  stars: z.number().int().nullable(),
  starsRule: z.string().nullable(),
  trace: z.array(TraceStep),
  explanation: z.string().meta({ description: 'the readable explanation (Chinese)' }),
});

export const ExplainedResult = z.object({
  run: z.object({ id: z.number().int(), period: z.string(), street: z.string().nullable(), status: RunStatus, fingerprint: z.string(), ruleSet: z.string() }),
  company: ExplainedCompany,
  projects: z.array(ExplainedProject),
});

// ---- task results -----------------------------------------------------------------------------

export const AssessmentResult = z
  .object({ runId: z.number().int(), status: RunStatus, fingerprint: z.string(), summary: RunSummary })
  .meta({ id: 'AssessmentResult' });

export const ComparisonSummary = z.object({
  projects: z.number().int(),
  projectsChanged: z.number().int(),
  starsUp: z.number().int(),
  starsDown: z.number().int(),
  companies: z.number().int(),
  companiesChanged: z.number().int(),
  gradeUp: z.number().int(),
  gradeDown: z.number().int(),
  enteredRed: z.number().int(),
  leftRed: z.number().int(),
  enteredBlack: z.number().int(),
  leftBlack: z.number().int(),
});

export const WhatIfResult = z
  .object({
    draftRunId: z.number().int(),
    baseRunId: z.number().int(),
    fingerprint: z.string(),
    summary: ComparisonSummary,
    path: z.string().meta({ description: 'the comparison workbook (GET /tasks/{id}/file)' }),
  })
  .meta({ id: 'WhatIfResult' });

export type RunSummary = z.infer<typeof RunSummary>;
export type RunList = z.infer<typeof RunList>;
export type CompanyListing = z.infer<typeof CompanyListing>;
export type ExplainedResult = z.infer<typeof ExplainedResult>;
export type AssessmentResult = z.infer<typeof AssessmentResult>;
export type WhatIfResult = z.infer<typeof WhatIfResult>;

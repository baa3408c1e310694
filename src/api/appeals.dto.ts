import { z } from 'zod';
import { IdParam, Instant, JsonObject, JsonValue, ListName, NonBlank, optional, RequiredText } from './schemas/common.schema.js';

export const APPEAL_STATES = ['submitted', 'bureau_review', 'accepted', 'rejected', 'replaced'] as const;
export const AppealLineState = z.enum(APPEAL_STATES);

// ---- requests -------------------------------------------------------------------------------

export const DecisionBody = z.strictObject({
  outcome: z.enum(['accept', 'reject']).meta({ description: 'accept: street forwards to the bureau, bureau corrects the fact; reject' }),
  reason: NonBlank.meta({ description: 'the written reason (Chinese)' }),
  reviewer: optional(NonBlank).meta({ description: 'the reviewer’s name (default: the key’s name)' }),
  level: optional(z.enum(['street', 'bureau'])).meta({ description: 'refuse if the line awaits the other level' }),
  value: optional(z.string()).meta({ description: 'bureau only: the corrected value when it differs from the claim' }),
});
export type DecisionBody = z.infer<typeof DecisionBody>;

export const RepairApplicationBody = z.strictObject({
  company: z.string().meta({ description: '统一社会信用代码' }),
  entryId: optional(z.number().int()).meta({ description: 'the black-list entry (needed when the company has several)' }),
  rectification: NonBlank,
  evidence: NonBlank.meta({ description: 'file names or links' }),
  applicant: optional(NonBlank).meta({ description: 'default: the key’s name' }),
});
export type RepairApplicationBody = z.infer<typeof RepairApplicationBody>;

export const RepairDecisionBody = z.strictObject({
  approve: z.boolean(),
  reason: NonBlank,
  reviewer: optional(NonBlank).meta({ description: 'default: the key’s name' }),
});
export type RepairDecisionBody = z.infer<typeof RepairDecisionBody>;

const Company = RequiredText.meta({ description: '统一社会信用代码' });
const Period = RequiredText.meta({ description: '考核周期, e.g. 2025', example: '2025' });

export const SheetQuery = z.strictObject({ period: Period, company: Company });

export const SubmitQuery = z.strictObject({
  company: z.string().optional().meta({ description: 'refuse unless the sheet is this company’s (a company key: always its own)' }),
  period: z.string().optional().meta({ description: 'refuse unless the sheet is of this period' }),
});

export const AppealsQuery = z.strictObject({
  company: z.string().optional().meta({ description: '统一社会信用代码' }),
  period: z.string().optional().meta({ description: 'e.g. 2025' }),
  state: z
    .string()
    .optional()
    .meta({ description: `comma-separated: ${APPEAL_STATES.join(', ')}` }),
});

export const HistoryQuery = z.strictObject({ company: Company });
export const RepairsQuery = z.strictObject({ company: z.string().optional().meta({ description: '统一社会信用代码' }) });

export const AppealLineIdParam = IdParam.meta({ description: 'appeal line number' });
export const RepairIdParam = IdParam.meta({ description: 'application number' });

// ---- answers --------------------------------------------------------------------------------

export const ImportedAppeal = z.object({
  appealId: z.number().int(),
  runId: z.number().int(),
  period: z.string(),
  uscc: z.string(),
  lines: z.array(
    z.object({
      appealLineId: z.number().int(),
      lineId: z.string().meta({ description: 'the line of the score sheet' }),
      row: z.number().int(),
      round: z.number().int(),
      replaced: z.number().int().nullable().meta({ description: 'the appeal line this one replaces (a later round)' }),
    }),
  ),
});

export const AppealLineDecision = z.object({
  id: z.number().int(),
  appealLineId: z.number().int(),
  level: z.enum(['street', 'bureau']),
  outcome: z.enum(['accept', 'reject']),
  reason: z.string(),
  reviewer: z.string(),
  decidedValue: JsonValue,
  decidedAt: Instant,
});

export const AppealLine = z
  .object({
    line: z.object({
      id: z.number().int(),
      appealId: z.number().int(),
      runId: z.number().int(),
      companyId: z.number().int(),
      lineId: z.string(),
      sheetRow: z.number().int(),
      projectId: z.number().int().nullable(),
      section: z.string(),
      ruleId: z.string().nullable(),
      fact: z.string().nullable(),
      originalValue: JsonValue,
      claimedValue: JsonValue,
      claimedText: z.string().nullable(),
      reason: z.string(),
      evidence: z.string().nullable(),
      state: AppealLineState,
      round: z.number().int(),
      previousLineId: z.number().int().nullable(),
      createdAt: Instant,
    }),
    decisions: z.array(AppealLineDecision),
    uscc: z.string(),
    companyName: z.string(),
    periodCode: z.string(),
    streetCode: z.string().nullable(),
  })
  .meta({ id: 'AppealLine' });
export const AppealLines = z.array(AppealLine);

export const DecisionReport = z.object({
  appealLineId: z.number().int(),
  lineId: z.string(),
  level: z.enum(['street', 'bureau']),
  outcome: z.enum(['accept', 'reject']),
  state: AppealLineState,
  revision: z
    .object({
      revision: z.number().int(),
      scoreBefore: z.number().nullable(),
      scoreAfter: z.number().nullable(),
      gradeBefore: z.string().nullable(),
      gradeAfter: z.string().nullable(),
      listsBefore: z.array(z.string()),
      listsAfter: z.array(z.string()),
      changedProjects: z.array(z.string()),
      listTransitions: z.array(z.object({ list: z.string(), kind: z.string() })),
      ledgerReversals: z.number().int(),
    })
    .nullable()
    .meta({ description: 'the revision an accepting bureau decision made' }),
});

export const ClosedWindows = z.array(
  z.object({
    runId: z.number().int(),
    period: z.string(),
    deadline: z.string().meta({ format: 'date' }),
    finalised: z.number().int().meta({ description: 'results made final' }),
    waiting: z.number().int().meta({ description: 'companies whose appeals are still being reviewed' }),
  }),
);

const CompanyRef = z.object({ id: z.number().int(), uscc: z.string(), name: z.string() });

export const AppealHistory = z.object({
  company: CompanyRef,
  entries: z.array(
    z.object({
      id: z.number().int(),
      at: Instant,
      runId: z.number().int().nullable(),
      companyId: z.number().int().nullable(),
      actor: z.string(),
      action: z.string().meta({ example: 'appeal.submitted' }),
      subject: z.string(),
      details: JsonObject,
    }),
  ),
});

export const Revisions = z.object({
  company: CompanyRef,
  runId: z.number().int(),
  published: z.object({
    revision: z.number().int().meta({ description: 'always 0' }),
    score: z.number().nullable(),
    grade: z.string().nullable(),
    lists: z.array(ListName),
  }),
  revisions: z.array(
    z.object({
      revision: z.number().int(),
      score: z.number().nullable(),
      grade: z.string().nullable(),
      reason: z.string(),
      createdBy: z.string(),
      createdAt: Instant,
    }),
  ),
  current: z.number().int().meta({ description: 'the revision in force' }),
  final: z.object({ revision: z.number().int(), finalizedAt: Instant }).nullable().meta({ description: 'set once the appeal window has closed' }),
});

export const RepairApplied = z.object({ repairId: z.number().int(), entryId: z.number().int() });
export const RepairDecided = z.object({ repairId: z.number().int(), state: z.enum(['approved', 'refused']), entryId: z.number().int() });

export const CreditRepair = z
  .object({
    repair: z.object({
      id: z.number().int(),
      entryId: z.number().int(),
      companyId: z.number().int(),
      rectification: z.string(),
      evidence: z.string(),
      applicant: z.string(),
      appliedAt: Instant,
      state: z.enum(['applied', 'approved', 'refused']),
      decidedBy: z.string().nullable(),
      decisionReason: z.string().nullable(),
      decidedAt: Instant.nullable(),
    }),
    uscc: z.string(),
    companyName: z.string(),
  })
  .meta({ id: 'CreditRepair' });
export const CreditRepairs = z.array(CreditRepair);

export type ImportedAppeal = z.infer<typeof ImportedAppeal>;
export type AppealLines = z.infer<typeof AppealLines>;
export type DecisionReport = z.infer<typeof DecisionReport>;
export type ClosedWindows = z.infer<typeof ClosedWindows>;
export type AppealHistory = z.infer<typeof AppealHistory>;
export type Revisions = z.infer<typeof Revisions>;
export type RepairApplied = z.infer<typeof RepairApplied>;
export type RepairDecided = z.infer<typeof RepairDecided>;
export type CreditRepairs = z.infer<typeof CreditRepairs>;

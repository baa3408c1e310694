import { sql } from 'drizzle-orm';
import type { ScheduleJob } from '../config/app-config.js';
import {
  bigint,
  boolean,
  char,
  check,
  date,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
  pgView,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  jsonb,
} from 'drizzle-orm/pg-core';

export const periodKind = pgEnum('period_kind', ['year', 'half', 'quarter', 'month']);
export const surveyChannel = pgEnum('survey_channel', ['door_to_door', 'online', 'phone_proxy']);
export const revisitVerdict = pgEnum('revisit_verdict', ['satisfied', 'basically_satisfied', 'dissatisfied', 'unreachable']);
export const partyScope = pgEnum('party_scope', ['project', 'company']);
export const eventKind = pgEnum('event_kind', [
  'administrative_penalty',
  'public_criticism',
  'safety_incident',
  'finding',
  'honour',
  'tech_innovation',
  'demonstration_site',
  'maintenance_fund_misuse',
  'major_safety_accident',
  'refusing_inspection',
  'serious_dishonesty',
]);
export const honourLevel = pgEnum('honour_level', ['district', 'city', 'province']);
export const raterRole = pgEnum('rater_role', ['community_party_org', 'owners_committee']);

const money = (name: string) => numeric(name, { precision: 14, scale: 2, mode: 'number' });

export const streets = pgTable('streets', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
});

export const communities = pgTable(
  'communities',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    streetId: integer('street_id')
      .notNull()
      .references(() => streets.id),
  },
  (t) => [index('communities_street_idx').on(t.streetId)],
);

export const companies = pgTable('companies', {
  id: serial('id').primaryKey(),
  uscc: char('uscc', { length: 18 }).notNull().unique(),
  name: text('name').notNull(),
  hasPartyOrg: boolean('has_party_org').notNull(),
});

export const projects = pgTable(
  'projects',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    streetId: integer('street_id')
      .notNull()
      .references(() => streets.id),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id),
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    households: integer('households').notNull(),
    occupiedHouseholds: integer('occupied_households').notNull(),
    floorAreaM2: numeric('floor_area_m2', { precision: 14, scale: 2, mode: 'number' }).notNull(),
    hasPartyBranch: boolean('has_party_branch').notNull(),
  },
  (t) => [
    index('projects_company_idx').on(t.companyId),
    index('projects_street_idx').on(t.streetId),
    check('projects_households_positive', sql`${t.households} > 0`),
    check('projects_occupied_range', sql`${t.occupiedHouseholds} between 0 and ${t.households}`),
    check('projects_floor_area_positive', sql`${t.floorAreaM2} > 0`),
  ],
);

export const assessmentPeriods = pgTable('assessment_periods', {
  code: text('code').primaryKey(),
  kind: periodKind('kind').notNull(),
  year: smallint('year').notNull(),
  startsOn: date('starts_on').notNull(),
  endsOn: date('ends_on').notNull(),
});

/** One row per answer: a respondent answers several questions of one questionnaire. */
export const surveyAnswers = pgTable(
  'survey_answers',
  {
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    month: date('month').notNull(),
    respondentNo: integer('respondent_no').notNull(),
    questionNo: smallint('question_no').notNull(),
    answer: smallint('answer').notNull(),
    channel: surveyChannel('channel').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.month, t.respondentNo, t.questionNo] }),
    check('survey_answers_answer_range', sql`${t.answer} between 1 and 5`),
    check('survey_answers_month_first_day', sql`extract(day from ${t.month}) = 1`),
  ],
);

export const complaintTickets = pgTable(
  'complaint_tickets',
  {
    id: serial('id').primaryKey(),
    ticketNo: text('ticket_no').notNull().unique(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    category: text('category').notNull(),
    resolved: boolean('resolved').notNull(),
    revisitVerdict: revisitVerdict('revisit_verdict'),
  },
  (t) => [
    index('complaint_tickets_project_received_idx').on(t.projectId, t.receivedAt),
    check('complaint_tickets_responded_after_received', sql`${t.respondedAt} is null or ${t.respondedAt} >= ${t.receivedAt}`),
    check('complaint_tickets_resolved_after_received', sql`${t.resolvedAt} is null or ${t.resolvedAt} >= ${t.receivedAt}`),
    check('complaint_tickets_resolved_has_time', sql`not ${t.resolved} or ${t.resolvedAt} is not null`),
  ],
);

export const feeRecords = pgTable(
  'fee_records',
  {
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    month: date('month').notNull(),
    billedAmount: money('billed_amount').notNull(),
    collectedAmount: money('collected_amount').notNull(),
    householdsBilled: integer('households_billed').notNull(),
    householdsPaid: integer('households_paid').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.month] }),
    check('fee_records_collected_range', sql`${t.collectedAmount} between 0 and ${t.billedAmount}`),
    check('fee_records_paid_range', sql`${t.householdsPaid} between 0 and ${t.householdsBilled}`),
    check('fee_records_month_first_day', sql`extract(day from ${t.month}) = 1`),
  ],
);

export const partyChecks = pgTable(
  'party_checks',
  {
    id: serial('id').primaryKey(),
    scope: partyScope('scope').notNull(),
    projectId: integer('project_id').references(() => projects.id),
    companyId: integer('company_id').references(() => companies.id),
    periodCode: text('period_code').notNull(),
    indicatorCode: text('indicator_code').notNull(),
    value: numeric('value', { precision: 10, scale: 2, mode: 'number' }).notNull(),
    evidence: text('evidence'),
  },
  (t) => [
    unique('party_checks_subject_key').on(t.projectId, t.companyId, t.periodCode, t.indicatorCode).nullsNotDistinct(),
    check(
      'party_checks_subject_matches_scope',
      sql`(${t.scope} = 'project' and ${t.projectId} is not null and ${t.companyId} is null)
       or (${t.scope} = 'company' and ${t.companyId} is not null and ${t.projectId} is null)`,
    ),
    check('party_checks_value_non_negative', sql`${t.value} >= 0`),
  ],
);

export const creditEvents = pgTable(
  'credit_events',
  {
    id: serial('id').primaryKey(),
    eventNo: text('event_no').notNull().unique(),
    kind: eventKind('kind').notNull(),
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    projectId: integer('project_id').references(() => projects.id),
    occurredOn: date('occurred_on').notNull(),
    honourLevel: honourLevel('honour_level'),
    source: text('source').notNull(),
    description: text('description').notNull(),
    evidence: text('evidence'),
  },
  (t) => [
    index('credit_events_company_date_idx').on(t.companyId, t.occurredOn),
    index('credit_events_project_date_idx').on(t.projectId, t.occurredOn),
    check('credit_events_honour_level', sql`(${t.kind} = 'honour') = (${t.honourLevel} is not null)`),
  ],
);

export const threePartyRatings = pgTable(
  'three_party_ratings',
  {
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    periodCode: text('period_code').notNull(),
    raterRole: raterRole('rater_role').notNull(),
    rating: numeric('rating', { precision: 3, scale: 2, mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.periodCode, t.raterRole] }), check('three_party_ratings_range', sql`${t.rating} between 1 and 5`)],
);

/**
 * The input digest maintained at intake: per fact table and bucket (a project's or company's
 * month, a period, ...), the number of rows and the exact sum of a 60-bit prefix of each row's
 * md5. Triggers of migration 0006 keep it in the transaction of every write to the fact tables;
 * an assessment sums the buckets it reads instead of hashing every row. A bucket emptied keeps
 * count 0 and hash 0.
 */
export const inputDigestBuckets = pgTable(
  'input_digest_buckets',
  {
    tableName: text('table_name').notNull(),
    /** 0 when the table has no company of its own */
    companyId: integer('company_id').notNull(),
    /** 0 when the row has no project */
    projectId: integer('project_id').notNull(),
    /** a month `YYYY-MM-01`, or a period code */
    bucket: text('bucket').notNull(),
    /** the party check's indicator; empty elsewhere */
    detail: text('detail').notNull(),
    rowCount: bigint('row_count', { mode: 'number' }).notNull(),
    rowHash: numeric('row_hash', { precision: 40, scale: 0 }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'input_digest_buckets_pkey', columns: [t.tableName, t.companyId, t.projectId, t.bucket, t.detail] }),
    // a street's run reads the buckets of its projects only
    index('input_digest_buckets_project_idx').on(t.projectId, t.tableName, t.bucket),
  ],
);

/** The time zone the complaint tickets' month buckets are cut in (one row). */
export const inputDigestSettings = pgTable('input_digest_settings', {
  id: smallint('id').primaryKey().default(1),
  timeZone: text('time_zone').notNull(),
});

// ---- Assessment runs and their consequences -------------------------------------------

export const runStatus = pgEnum('run_status', ['draft', 'published', 'superseded']);
export const listName = pgEnum('list_name', ['red', 'black']);
export const listSeverity = pgEnum('list_severity', ['general', 'serious', 'safety']);
export const changeCause = pgEnum('change_cause', ['assessment', 'appeal_accepted', 'credit_repair', 'republication']);
export const listTransitionKind = pgEnum('list_transition_kind', ['entered', 'held', 'cleared', 'exited', 'expired']);

/** An assessment run: immutable once written; only its publication status moves. */
export const assessmentRuns = pgTable(
  'assessment_runs',
  {
    id: serial('id').primaryKey(),
    periodCode: text('period_code').notNull(),
    /** null: every street */
    streetCode: text('street_code'),
    ruleSetName: text('rule_set_name').notNull(),
    ruleSetVersion: text('rule_set_version').notNull(),
    ruleSetFingerprint: text('rule_set_fingerprint').notNull(),
    /** the rule set's files as they were, so the run can be reproduced after they change */
    ruleSetFiles: jsonb('rule_set_files').$type<Record<string, string>>().notNull(),
    engineVersion: text('engine_version').notNull(),
    inputDigest: text('input_digest').notNull(),
    fingerprint: text('fingerprint').notNull(),
    outcomeDigest: text('outcome_digest').notNull(),
    summary: jsonb('summary').$type<Record<string, unknown>>().notNull(),
    status: runStatus('status').notNull().default('draft'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('assessment_runs_one_published')
      .on(t.periodCode, sql`coalesce(${t.streetCode}, '')`)
      .where(sql`${t.status} = 'published'`),
  ],
);

export const projectResults = pgTable(
  'project_results',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => assessmentRuns.id),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    assessed: boolean('assessed').notNull(),
    total: numeric('total', { precision: 7, scale: 2, mode: 'number' }),
    stars: smallint('stars'),
    outcome: jsonb('outcome').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.projectId] })],
);

export const companyResults = pgTable(
  'company_results',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => assessmentRuns.id),
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    score: numeric('score', { precision: 7, scale: 2, mode: 'number' }),
    grade: text('grade'),
    outcome: jsonb('outcome').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.companyId] })],
);

/** 红榜 / 黑榜 entries; an entry is never rewritten, its life is told by list_transitions. */
export const listEntries = pgTable(
  'list_entries',
  {
    id: serial('id').primaryKey(),
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    list: listName('list').notNull(),
    severity: listSeverity('severity').notNull(),
    ruleId: text('rule_id').notNull(),
    clause: text('clause').notNull(),
    reason: text('reason').notNull(),
    startedOn: date('started_on').notNull(),
    minEndOn: date('min_end_on').notNull(),
    maxEndOn: date('max_end_on').notNull(),
    runId: integer('run_id')
      .notNull()
      .references(() => assessmentRuns.id),
  },
  (t) => [index('list_entries_company_idx').on(t.companyId)],
);

export const listTransitions = pgTable(
  'list_transitions',
  {
    id: serial('id').primaryKey(),
    entryId: integer('entry_id')
      .notNull()
      .references(() => listEntries.id),
    kind: listTransitionKind('kind').notNull(),
    on: date('on').notNull(),
    streak: smallint('streak').notNull().default(0),
    note: text('note').notNull(),
    runId: integer('run_id').references(() => assessmentRuns.id),
    /** why the transition was recorded: the period's assessment, an accepted appeal, a credit repair */
    cause: changeCause('cause').notNull().default('assessment'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('list_transitions_entry_idx').on(t.entryId)],
);

/** 诚信台账: append-only; a correction is a reversing entry. */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: serial('id').primaryKey(),
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    eventId: integer('event_id').references(() => creditEvents.id),
    entryDate: date('entry_date').notNull(),
    points: numeric('points', { precision: 7, scale: 2, mode: 'number' }).notNull(),
    reason: text('reason').notNull(),
    ruleId: text('rule_id').notNull(),
    evidence: text('evidence'),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to').notNull(),
    runId: integer('run_id').references(() => assessmentRuns.id),
    reversesEntryId: integer('reverses_entry_id'),
    cause: changeCause('cause').notNull().default('assessment'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('ledger_entries_company_idx').on(t.companyId, t.entryDate),
    uniqueIndex('ledger_entries_event_rule')
      .on(t.eventId, t.ruleId)
      .where(sql`${t.reversesEntryId} is null`),
    // the annulment probe of the metrics (an appeal_accepted reversal of an event) looks entries up by event
    index('ledger_entries_event_idx').on(t.eventId),
  ],
);

// ---- Appeals, revisions, finality, credit repair, audit ---------------------------------

/**
 * A score sheet handed to a company for appeal: the cells it was given (normalised), so that an
 * uploaded copy can be compared cell by cell, and their HMAC signature.
 */
export const appealSheetExports = pgTable(
  'appeal_sheet_exports',
  {
    id: serial('id').primaryKey(),
    runId: integer('run_id')
      .notNull()
      .references(() => assessmentRuns.id),
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    revision: smallint('revision').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    issuedBy: text('issued_by').notNull(),
    signature: text('signature').notNull(),
    cells: jsonb('cells').$type<{ sheet: string; address: string; value: string }[]>().notNull(),
  },
  (t) => [index('appeal_sheet_exports_company_idx').on(t.runId, t.companyId)],
);

/** One uploaded appeal sheet. */
export const appeals = pgTable(
  'appeals',
  {
    id: serial('id').primaryKey(),
    runId: integer('run_id')
      .notNull()
      .references(() => assessmentRuns.id),
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    exportId: integer('export_id')
      .notNull()
      .references(() => appealSheetExports.id),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256').notNull(),
    submittedBy: text('submitted_by').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('appeals_company_idx').on(t.runId, t.companyId)],
);

export const appealLineState = pgEnum('appeal_line_state', ['submitted', 'bureau_review', 'accepted', 'rejected', 'replaced']);

/** One objection to one score-sheet line. States move forward only; a re-submission is a new line. */
export const appealLines = pgTable(
  'appeal_lines',
  {
    id: serial('id').primaryKey(),
    appealId: integer('appeal_id')
      .notNull()
      .references(() => appeals.id),
    runId: integer('run_id')
      .notNull()
      .references(() => assessmentRuns.id),
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    /** the score sheet's stable line id */
    lineId: text('line_id').notNull(),
    sheetRow: integer('sheet_row').notNull(),
    projectId: integer('project_id').references(() => projects.id),
    section: text('section').notNull(),
    ruleId: text('rule_id'),
    /** the fact the line is about; null for a line without one */
    fact: text('fact'),
    originalValue: jsonb('original_value'),
    claimedValue: jsonb('claimed_value'),
    claimedText: text('claimed_text'),
    reason: text('reason').notNull(),
    evidence: text('evidence'),
    state: appealLineState('state').notNull().default('submitted'),
    /** 1, or 2 for the one answer a rejected line may get */
    round: smallint('round').notNull().default(1),
    /** the rejected line this one answers, or the not yet reviewed line it replaces */
    previousLineId: integer('previous_line_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('appeal_lines_company_idx').on(t.runId, t.companyId),
    uniqueIndex('appeal_lines_one_open')
      .on(t.runId, t.lineId)
      .where(sql`${t.state} in ('submitted', 'bureau_review')`),
  ],
);

export const reviewLevel = pgEnum('review_level', ['street', 'bureau']);
export const reviewOutcome = pgEnum('review_outcome', ['accept', 'reject']);

export const appealDecisions = pgTable(
  'appeal_decisions',
  {
    id: serial('id').primaryKey(),
    appealLineId: integer('appeal_line_id')
      .notNull()
      .references(() => appealLines.id),
    level: reviewLevel('level').notNull(),
    outcome: reviewOutcome('outcome').notNull(),
    reviewer: text('reviewer').notNull(),
    reason: text('reason').notNull(),
    /** the value the bureau accepted, when it differs from the claim */
    decidedValue: jsonb('decided_value'),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('appeal_decisions_line_idx').on(t.appealLineId)],
);

/** A new version of one company's result in a run; the published rows are never changed. */
export const companyRevisions = pgTable(
  'company_revisions',
  {
    id: serial('id').primaryKey(),
    runId: integer('run_id')
      .notNull()
      .references(() => assessmentRuns.id),
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    revision: smallint('revision').notNull(),
    score: numeric('score', { precision: 7, scale: 2, mode: 'number' }),
    grade: text('grade'),
    outcome: jsonb('outcome').notNull(),
    reason: text('reason').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [unique('company_revisions_key').on(t.runId, t.companyId, t.revision)],
);

export const projectRevisions = pgTable(
  'project_revisions',
  {
    revisionId: integer('revision_id')
      .notNull()
      .references(() => companyRevisions.id),
    runId: integer('run_id')
      .notNull()
      .references(() => assessmentRuns.id),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    revision: smallint('revision').notNull(),
    assessed: boolean('assessed').notNull(),
    total: numeric('total', { precision: 7, scale: 2, mode: 'number' }),
    stars: smallint('stars'),
    outcome: jsonb('outcome').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.projectId, t.revision] })],
);

/** An input fact corrected by an accepted appeal line: refers to the original, never replaces it. */
export const factCorrections = pgTable('fact_corrections', {
  id: serial('id').primaryKey(),
  appealLineId: integer('appeal_line_id')
    .notNull()
    .unique()
    .references(() => appealLines.id),
  runId: integer('run_id')
    .notNull()
    .references(() => assessmentRuns.id),
  companyId: integer('company_id')
    .notNull()
    .references(() => companies.id),
  projectId: integer('project_id').references(() => projects.id),
  fact: text('fact').notNull(),
  originalValue: jsonb('original_value'),
  correctedValue: jsonb('corrected_value').notNull(),
  revisionId: integer('revision_id')
    .notNull()
    .references(() => companyRevisions.id),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/** A company's result for a run became final: the window closed with no appeal open. */
export const finalResults = pgTable(
  'final_results',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => assessmentRuns.id),
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    /** 0: the published result */
    revision: smallint('revision').notNull(),
    finalizedAt: timestamp('finalized_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.companyId] })],
);

export const creditRepairState = pgEnum('credit_repair_state', ['applied', 'approved', 'refused']);

/** 信用修复: an application to leave the black list early, decided by the bureau. */
export const creditRepairs = pgTable(
  'credit_repairs',
  {
    id: serial('id').primaryKey(),
    entryId: integer('entry_id')
      .notNull()
      .references(() => listEntries.id),
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id),
    rectification: text('rectification').notNull(),
    evidence: text('evidence').notNull(),
    applicant: text('applicant').notNull(),
    appliedAt: timestamp('applied_at', { withTimezone: true }).notNull(),
    state: creditRepairState('state').notNull().default('applied'),
    decidedBy: text('decided_by'),
    decisionReason: text('decision_reason'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    index('credit_repairs_company_idx').on(t.companyId),
    uniqueIndex('credit_repairs_one_open')
      .on(t.entryId)
      .where(sql`${t.state} = 'applied'`),
  ],
);

/** Who did what and when, for appeals, decisions, corrections, revisions, finality and credit repair. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: serial('id').primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    companyId: integer('company_id').references(() => companies.id),
    runId: integer('run_id').references(() => assessmentRuns.id),
    subject: text('subject').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index('audit_log_company_idx').on(t.companyId, t.id)],
);

/** Secrets the server generates for itself when none is configured (the appeal sheet signing key). */
export const appSecrets = pgTable('app_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

// ---- Service: API keys, tasks, scheduled firings -------------------------------------------

export const apiRole = pgEnum('api_role', ['bureau', 'street', 'company']);

/** An API key: only its SHA-256 is kept; the key itself is shown once, when it is made. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    role: apiRole('role').notNull(),
    streetCode: text('street_code'),
    companyUscc: char('company_uscc', { length: 18 }),
    keyHash: text('key_hash').notNull().unique(),
    /** the first characters of the key, to tell keys apart in lists */
    keyPrefix: text('key_prefix').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [
    check(
      'api_keys_binding',
      sql`(${t.role} = 'bureau' and ${t.streetCode} is null and ${t.companyUscc} is null)
       or (${t.role} = 'street' and ${t.streetCode} is not null and ${t.companyUscc} is null)
       or (${t.role} = 'company' and ${t.companyUscc} is not null and ${t.streetCode} is null)`,
    ),
  ],
);

export const taskStatus = pgEnum('task_status', ['queued', 'running', 'succeeded', 'failed']);

/**
 * A task: a long operation asked for over HTTP (an assessment, a report, a what-if run, a scheduled
 * job run by hand), run by the task queue (pg-boss, schema `pgboss`) with its progress kept here.
 */
export const tasks = pgTable(
  'tasks',
  {
    id: serial('id').primaryKey(),
    kind: text('kind').notNull(),
    /** what was asked, as the task shows it */
    params: jsonb('params').$type<Record<string, unknown>>().notNull(),
    /** what the work needs besides (a what-if draft's rule files); never shown */
    input: jsonb('input').$type<Record<string, unknown>>(),
    /** who may read the task besides the bureau (null: the CLI or the scheduler) */
    keyId: integer('key_id'),
    status: taskStatus('status').notNull().default('queued'),
    progress: text('progress'),
    result: jsonb('result').$type<Record<string, unknown>>(),
    error: jsonb('error').$type<{ code: string; message: string; messageZh: string; details: readonly string[] }>(),
    requestedBy: text('requested_by').notNull(),
    /** the server process running it (REDPROP_INSTANCE): a restart of that instance fails what it left running */
    instance: text('instance'),
    /** the queue's job */
    queueJobId: text('queue_job_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('tasks_key_status_idx').on(t.keyId, t.status)],
);

export const firingStatus = pgEnum('firing_status', ['running', 'succeeded', 'failed']);

/** One scheduled job for one period: unique, so that it runs once whatever the number of instances. */
export const scheduledFirings = pgTable(
  'scheduled_firings',
  {
    id: serial('id').primaryKey(),
    job: text('job').$type<ScheduleJob>().notNull(),
    period: text('period').notNull(),
    status: firingStatus('status').notNull(),
    attempts: smallint('attempts').notNull().default(1),
    /** how it was started: schedule, catch-up, manual */
    trigger: text('trigger').notNull(),
    instance: text('instance').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    outcome: jsonb('outcome').$type<Record<string, unknown>>(),
    outputFiles: jsonb('output_files')
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    error: text('error'),
  },
  (t) => [unique('scheduled_firings_job_period').on(t.job, t.period)],
);

/**
 * The current result of every project and company of a run: the newest revision where an
 * accepted appeal made one (revision > 0), else the result as the run stored it (revision 0).
 */
export const effectiveProjectResults = pgView('effective_project_results', {
  runId: integer('run_id').notNull(),
  projectId: integer('project_id').notNull(),
  assessed: boolean('assessed').notNull(),
  total: numeric('total', { precision: 7, scale: 2, mode: 'number' }),
  stars: smallint('stars'),
  outcome: jsonb('outcome').notNull(),
  revision: smallint('revision').notNull(),
}).as(sql`
  select pr.run_id, pr.project_id,
         coalesce(rv.assessed, pr.assessed) as assessed,
         case when rv.project_id is null then pr.total else rv.total end as total,
         case when rv.project_id is null then pr.stars else rv.stars end as stars,
         coalesce(rv.outcome, pr.outcome) as outcome,
         coalesce(rv.revision, 0)::smallint as revision
    from project_results pr
    left join (select distinct on (run_id, project_id) run_id, project_id, assessed, total, stars, outcome, revision
                 from project_revisions order by run_id, project_id, revision desc) rv
      on rv.run_id = pr.run_id and rv.project_id = pr.project_id`);

export const effectiveCompanyResults = pgView('effective_company_results', {
  runId: integer('run_id').notNull(),
  companyId: integer('company_id').notNull(),
  score: numeric('score', { precision: 7, scale: 2, mode: 'number' }),
  grade: text('grade'),
  outcome: jsonb('outcome').notNull(),
  revision: smallint('revision').notNull(),
}).as(sql`
  select cr.run_id, cr.company_id,
         case when rv.company_id is null then cr.score else rv.score end as score,
         case when rv.company_id is null then cr.grade else rv.grade end as grade,
         coalesce(rv.outcome, cr.outcome) as outcome,
         coalesce(rv.revision, 0)::smallint as revision
    from company_results cr
    left join (select distinct on (run_id, company_id) run_id, company_id, score, grade, outcome, revision
                 from company_revisions order by run_id, company_id, revision desc) rv
      on rv.run_id = cr.run_id and rv.company_id = cr.company_id`);

/** Every table that holds data, master data first (status prints them in this order). */
export const DATA_TABLE_NAMES = [
  'streets',
  'communities',
  'companies',
  'projects',
  'assessment_periods',
  'survey_answers',
  'complaint_tickets',
  'fee_records',
  'party_checks',
  'credit_events',
  'three_party_ratings',
  'assessment_runs',
  'project_results',
  'company_results',
  'list_entries',
  'list_transitions',
  'ledger_entries',
  'appeal_sheet_exports',
  'appeals',
  'appeal_lines',
  'appeal_decisions',
  'company_revisions',
  'project_revisions',
  'fact_corrections',
  'final_results',
  'credit_repairs',
  'audit_log',
  'tasks',
  'scheduled_firings',
] as const;

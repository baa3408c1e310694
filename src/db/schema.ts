import { sql } from 'drizzle-orm';
import {
  boolean,
  char,
  check,
  date,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
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
    streetId: integer('street_id').notNull().references(() => streets.id),
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
    streetId: integer('street_id').notNull().references(() => streets.id),
    communityId: integer('community_id').notNull().references(() => communities.id),
    companyId: integer('company_id').notNull().references(() => companies.id),
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
    projectId: integer('project_id').notNull().references(() => projects.id),
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
    projectId: integer('project_id').notNull().references(() => projects.id),
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
    projectId: integer('project_id').notNull().references(() => projects.id),
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
    companyId: integer('company_id').notNull().references(() => companies.id),
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
    projectId: integer('project_id').notNull().references(() => projects.id),
    periodCode: text('period_code').notNull(),
    raterRole: raterRole('rater_role').notNull(),
    rating: numeric('rating', { precision: 3, scale: 2, mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.periodCode, t.raterRole] }),
    check('three_party_ratings_range', sql`${t.rating} between 1 and 5`),
  ],
);

// ---- Assessment runs and their consequences -------------------------------------------

export const runStatus = pgEnum('run_status', ['draft', 'published', 'superseded']);
export const listName = pgEnum('list_name', ['red', 'black']);
export const listSeverity = pgEnum('list_severity', ['general', 'serious', 'safety']);
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
    runId: integer('run_id').notNull().references(() => assessmentRuns.id),
    projectId: integer('project_id').notNull().references(() => projects.id),
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
    runId: integer('run_id').notNull().references(() => assessmentRuns.id),
    companyId: integer('company_id').notNull().references(() => companies.id),
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
    companyId: integer('company_id').notNull().references(() => companies.id),
    list: listName('list').notNull(),
    severity: listSeverity('severity').notNull(),
    ruleId: text('rule_id').notNull(),
    clause: text('clause').notNull(),
    reason: text('reason').notNull(),
    startedOn: date('started_on').notNull(),
    minEndOn: date('min_end_on').notNull(),
    maxEndOn: date('max_end_on').notNull(),
    runId: integer('run_id').notNull().references(() => assessmentRuns.id),
  },
  (t) => [index('list_entries_company_idx').on(t.companyId)],
);

export const listTransitions = pgTable(
  'list_transitions',
  {
    id: serial('id').primaryKey(),
    entryId: integer('entry_id').notNull().references(() => listEntries.id),
    kind: listTransitionKind('kind').notNull(),
    on: date('on').notNull(),
    streak: smallint('streak').notNull().default(0),
    note: text('note').notNull(),
    runId: integer('run_id').references(() => assessmentRuns.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('list_transitions_entry_idx').on(t.entryId)],
);

/** 诚信台账: append-only; a correction is a reversing entry. */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: serial('id').primaryKey(),
    companyId: integer('company_id').notNull().references(() => companies.id),
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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('ledger_entries_company_idx').on(t.companyId, t.entryDate),
    uniqueIndex('ledger_entries_event_rule').on(t.eventId, t.ruleId).where(sql`${t.reversesEntryId} is null`),
  ],
);

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
] as const;

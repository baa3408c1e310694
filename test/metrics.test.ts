import type { INestApplicationContext } from '@nestjs/common';
import { AssessmentRepository } from '../src/assessment/assessment.repository.js';
import { MetricsRepository } from '../src/assessment/metrics.repository.js';
import type { MetricParameters, MetricScope, ProjectMetrics } from '../src/assessment/metrics.js';
import { IntakeService } from '../src/intake/intake.service.js';
import type { PartyIndicatorCode } from '../src/domain/vocabulary.js';
import type { RecordBatch } from '../src/intake/records.js';
import { createTestApp, testConfig } from './support/app.js';
import { describeEachBackend, testBackendNames } from './support/backends.js';
import { aComplaint, aCommunity, aCompany, aFee, aPartyCheck, aProject, aRating, aStreet, aSurveyAnswer, anEvent, validUscc } from './support/factories.js';

const PARAMS: MetricParameters = { positiveAnswerMin: 4, responseWindowHours: 24, badRecordWindowMonths: 12 };
const S1 = '510104001';
const S2 = '510104002';
const C1 = validUscc(1);
const C2 = validUscc(2);
const P1 = 'XM00000001';
const P2 = 'XM00000002';
const P3 = 'XM00000003';
const P4 = 'XM00000004';
const all = (period: string): MetricScope => ({ period, streetCode: null });
const HOUR = 3_600_000;
const at = (iso: string, plusMs = 0) => new Date(new Date(iso).getTime() + plusMs);

/** Results of the shared fixture per backend, compared across backends at the end of the file. */
const fixtureResults = new Map<string, { digest: string; metrics: string }>();

/**
 * Two streets, two companies, four projects:
 * P1 (S1, C1, 500 households) carries most facts; P2 (S1, C1, 300) has none;
 * P3 (S2, C2, 200) and P4 (S1, C2, 100) have a ticket each and P3 ratings.
 */
function fixture(): RecordBatch {
  const answers = (month: string, respondentNo: number, values: number[], channel: 'door_to_door' | 'online' | 'phone_proxy') =>
    values.map((answer, i) => ({ record: aSurveyAnswer({ month, respondentNo, questionNo: i + 1, answer, channel }) }));
  const ticket = (ticketNo: string, projectCode: string, receivedAt: Date, o: Partial<ReturnType<typeof aComplaint>> = {}) => ({
    record: aComplaint({
      ticketNo,
      projectCode,
      receivedAt,
      respondedAt: at(receivedAt.toISOString(), HOUR),
      resolvedAt: at(receivedAt.toISOString(), 2 * HOUR),
      resolved: true,
      revisitVerdict: null,
      ...o,
    }),
  });
  const check = (indicatorCode: PartyIndicatorCode, period: string, value: number) => ({
    record: aPartyCheck({ indicatorCode, period, value }),
  });
  const event = (eventNo: string, o: Partial<ReturnType<typeof anEvent>>) => ({ record: anEvent({ eventNo, ...o }) });

  return {
    streets: [{ record: aStreet({ code: S1 }) }, { record: aStreet({ code: S2, name: '春熙路街道' }) }],
    communities: [{ record: aCommunity({ code: `${S1}001`, streetCode: S1 }) }, { record: aCommunity({ code: `${S2}001`, streetCode: S2, name: '和平社区' }) }],
    companies: [{ record: aCompany({ uscc: C1 }) }, { record: aCompany({ uscc: C2, name: '成都锦城物业有限公司', hasPartyOrg: false }) }],
    projects: [
      { record: aProject({ code: P1, communityCode: `${S1}001`, companyUscc: C1 }) },
      {
        record: aProject({
          code: P2,
          name: '浣花小区',
          communityCode: `${S1}001`,
          companyUscc: C1,
          households: 300,
          occupiedHouseholds: 280,
          hasPartyBranch: false,
        }),
      },
      { record: aProject({ code: P3, name: '和平里', streetCode: S2, communityCode: `${S2}001`, companyUscc: C2, households: 200, occupiedHouseholds: 190 }) },
      { record: aProject({ code: P4, name: '草堂苑', communityCode: `${S1}001`, companyUscc: C2, households: 100, occupiedHouseholds: 100 }) },
    ],
    surveyAnswers: [
      ...answers('2025-03', 1, [5, 4, 3], 'door_to_door'),
      ...answers('2025-03', 2, [4, 4, 4], 'phone_proxy'),
      ...answers('2025-03', 3, [2, 3, 5], 'online'),
      // the same respondent number in another month is another questionnaire
      ...answers('2025-06', 1, [5], 'door_to_door'),
      ...answers('2024-12', 1, [5, 5], 'phone_proxy'),
    ],
    complaints: [
      // exactly 24 h: in time
      ticket('T1', P1, new Date('2025-03-04T01:30:00Z'), { respondedAt: at('2025-03-04T01:30:00Z', 24 * HOUR), revisitVerdict: 'satisfied' }),
      // 24 h and one second: late; unreachable is not a revisit
      ticket('T2', P1, new Date('2025-03-10T02:00:00Z'), {
        respondedAt: at('2025-03-10T02:00:00Z', 24 * HOUR + 1000),
        resolved: false,
        resolvedAt: null,
        revisitVerdict: 'unreachable',
      }),
      // 2025-04-01 00:30 in Shanghai: Q2
      ticket('T3', P1, new Date('2025-03-31T16:30:00Z'), { respondedAt: null, resolvedAt: null, resolved: false }),
      // 2025-03-31 23:59:59 in Shanghai: Q1
      ticket('T4', P1, new Date('2025-03-31T15:59:59Z'), { revisitVerdict: 'basically_satisfied' }),
      ticket('T5', P1, new Date('2025-02-10T03:00:00Z'), { revisitVerdict: 'dissatisfied' }),
      // 2025-01-01 00:00 in Shanghai: 2025
      ticket('T6', P1, new Date('2024-12-31T16:00:00Z')),
      // 2024-12-31 23:59:59 in Shanghai: 2024-Q4
      ticket('T7', P1, new Date('2024-12-31T15:59:59Z')),
      ticket('T8', P3, new Date('2025-08-05T02:00:00Z')),
      ticket('T9', P4, new Date('2025-09-30T15:00:00Z')),
    ],
    fees: [
      { record: aFee({ month: '2025-01', billedAmount: 1000.1, collectedAmount: 900.05, householdsBilled: 10, householdsPaid: 9 }) },
      { record: aFee({ month: '2025-02', billedAmount: 2000.2, collectedAmount: 1999.99, householdsBilled: 20, householdsPaid: 19 }) },
      { record: aFee({ month: '2024-12', billedAmount: 5000, collectedAmount: 5000, householdsBilled: 50, householdsPaid: 50 }) },
    ],
    partyChecks: [
      // year record 0 vs quarter record 1
      check('six_haves_venue', '2025', 0),
      check('six_haves_venue', '2025-Q1', 1),
      check('six_haves_venue', '2025-Q4', 1),
      // a record of another year never counts
      check('six_haves_sign', '2024', 1),
      // same end: the shorter period wins
      check('cross_appointment', '2025-Q4', 0),
      check('cross_appointment', '2025-12', 1),
      check('joint_meetings', '2025-01', 2),
      check('joint_meetings', '2025-02', 0),
      check('joint_meetings', '2025-03', 1),
      check('joint_meetings', '2025-05', 1),
    ],
    events: [
      event('E1', { kind: 'finding', projectCode: P1, occurredOn: '2025-05-12' }),
      event('E2', { kind: 'honour', honourLevel: 'city', projectCode: P1, occurredOn: '2025-06-01' }),
      event('E3', { kind: 'honour', honourLevel: 'city', projectCode: P1, occurredOn: '2025-07-01' }),
      event('E4', { kind: 'honour', honourLevel: 'province', projectCode: P1, occurredOn: '2025-02-01' }),
      event('E5', { kind: 'finding', projectCode: P1, occurredOn: '2024-11-15' }),
      event('E6', { kind: 'public_criticism', projectCode: null, occurredOn: '2025-03-03' }),
      event('E7', { kind: 'honour', honourLevel: 'district', projectCode: null, occurredOn: '2024-09-30' }),
      event('E8', { kind: 'administrative_penalty', projectCode: null, occurredOn: '2024-10-01' }),
      event('E9', { kind: 'finding', projectCode: null, occurredOn: '2025-10-01' }),
      event('E10', { kind: 'safety_incident', companyUscc: C2, projectCode: P4, occurredOn: '2025-08-01' }),
    ],
    ratings: [
      { record: aRating({ period: '2024', raterRole: 'owners_committee', rating: 4.5 }) },
      { record: aRating({ period: '2024', raterRole: 'community_party_org', rating: 3.75 }) },
      { record: aRating({ period: '2026', raterRole: 'owners_committee', rating: 5 }) },
      { record: aRating({ projectCode: P3, period: '2025', raterRole: 'owners_committee', rating: 4.1 }) },
      { record: aRating({ projectCode: P3, period: '2025', raterRole: 'community_party_org', rating: 4.2 }) },
    ],
  };
}

/** The same records with every list in reverse order (other surrogate ids, other physical order). */
function reversed(batch: RecordBatch): RecordBatch {
  const out: Record<string, unknown> = {};
  for (const [kind, list] of Object.entries(batch)) out[kind] = [...(list as unknown[])].reverse();
  return out;
}

function withFirstAnswer(batch: RecordBatch, answer: number): RecordBatch {
  const list = [...(batch.surveyAnswers as { record: ReturnType<typeof aSurveyAnswer> }[])];
  list[0] = { record: { ...list[0].record, answer } };
  return { ...batch, surveyAnswers: list };
}

describeEachBackend('metrics', ({ database, backend }) => {
  let app: INestApplicationContext;
  let intake: IntakeService;
  let metrics: MetricsRepository;
  const byCode = (rows: ProjectMetrics[]) => new Map(rows.map((r) => [r.projectCode, r]));
  const project = async (code: string, period: string, params = PARAMS) => byCode(await metrics.projectMetrics(all(period), params)).get(code)!;

  beforeAll(async () => {
    app = await createTestApp(database());
    intake = app.get(IntakeService);
    metrics = new MetricsRepository(database(), testConfig(), new AssessmentRepository(database()));
    await intake.load(fixture(), { mode: 'replace' });
  });
  afterAll(() => app.close());

  describe('projectMetrics', () => {
    it('returns every project in scope, sorted by code, with master data', async () => {
      const rows = await metrics.projectMetrics(all('2025'), PARAMS);
      expect(rows.map((r) => r.projectCode)).toEqual([P1, P2, P3, P4]);
      expect(rows[0]).toMatchObject({
        projectCode: P1,
        projectName: '锦江花园',
        companyUscc: C1,
        streetCode: S1,
        communityCode: `${S1}001`,
        households: 500,
        occupiedHouseholds: 460,
        floorAreaM2: 52000.5,
        hasPartyBranch: true,
        companyHasPartyOrg: true,
      });
      expect(rows[2]).toMatchObject({ companyUscc: C2, streetCode: S2, companyHasPartyOrg: false });
      expect(rows[0].companyId).toBe(rows[1].companyId);
      expect(rows[0].companyId).not.toBe(rows[2].companyId);
    });

    it('a project without data gets zeros and nulls', async () => {
      const p2 = await project(P2, '2025');
      expect(p2).toMatchObject({
        survey: { respondents: 0, answers: 0, positiveAnswers: 0, phoneProxyRespondents: 0 },
        complaints: { tickets: 0, respondedInTime: 0, resolved: 0, revisited: 0, revisitSatisfied: 0 },
        fees: { months: 0, householdsBilled: 0, householdsPaid: 0, billedAmount: 0, collectedAmount: 0 },
        partyFlags: {},
        jointMeetingMonths: 0,
        threeParty: { mean: null, year: null, ratings: 0 },
        events: {},
      });
    });

    it('counts survey respondents per month, answers and the positive threshold', async () => {
      expect((await project(P1, '2025')).survey).toEqual({ respondents: 4, answers: 10, positiveAnswers: 7, phoneProxyRespondents: 1 });
      expect((await project(P1, '2025-Q1')).survey).toEqual({ respondents: 3, answers: 9, positiveAnswers: 6, phoneProxyRespondents: 1 });
      expect((await project(P1, '2025', { ...PARAMS, positiveAnswerMin: 5 })).survey.positiveAnswers).toBe(3);
      expect((await project(P1, '2025', { ...PARAMS, positiveAnswerMin: 3.5 })).survey.positiveAnswers).toBe(7);
      expect((await project(P1, '2024-12')).survey).toEqual({ respondents: 1, answers: 2, positiveAnswers: 2, phoneProxyRespondents: 1 });
    });

    it('counts complaints by Shanghai date with the response window edge', async () => {
      expect((await project(P1, '2025-Q1')).complaints).toEqual({ tickets: 5, respondedInTime: 4, resolved: 4, revisited: 3, revisitSatisfied: 2 });
      expect((await project(P1, '2025-Q2')).complaints).toEqual({ tickets: 1, respondedInTime: 0, resolved: 0, revisited: 0, revisitSatisfied: 0 });
      expect((await project(P1, '2025-03')).complaints.tickets).toBe(3);
      expect((await project(P1, '2025-04')).complaints.tickets).toBe(1);
      expect((await project(P1, '2025')).complaints.tickets).toBe(6);
      expect((await project(P1, '2024')).complaints.tickets).toBe(1);
      // a longer window takes in the late ticket
      expect((await project(P1, '2025-Q1', { ...PARAMS, responseWindowHours: 24.001 })).complaints.respondedInTime).toBe(5);
    });

    it('dates tickets in the configured time zone (REDPROP_TIME_ZONE)', async () => {
      const inUtc = new MetricsRepository(database(), testConfig({ timeZone: 'UTC' }), new AssessmentRepository(database()));
      const tickets = async (period: string) => byCode(await inUtc.projectMetrics(all(period), PARAMS)).get(P1)!.complaints.tickets;
      // T3 (2025-03-31 16:30 UTC) is in March in UTC; T6 and T7 are in 2024
      expect(await tickets('2025-03')).toBe(4);
      expect(await tickets('2025-04')).toBe(0);
      expect(await tickets('2024')).toBe(2);
    });

    it('sums fees exactly', async () => {
      expect((await project(P1, '2025')).fees).toEqual({
        months: 2,
        householdsBilled: 30,
        householdsPaid: 28,
        billedAmount: 3000.3,
        collectedAmount: 2900.04,
      });
      expect((await project(P1, '2025-Q2')).fees.months).toBe(0);
    });

    it('takes the party flag of the record within the period that ends last, the shorter one on a tie', async () => {
      // Q1: the quarter's own record beats the year's, which describes the year's end
      expect((await project(P1, '2025-Q1')).partyFlags).toEqual({ six_haves_venue: 1 });
      // Q2 has no record of its own: the overlapping year record applies
      expect((await project(P1, '2025-Q2')).partyFlags).toEqual({ six_haves_venue: 0 });
      // Q4: year and quarter end together, the quarter is shorter; the month beats its quarter
      expect((await project(P1, '2025-Q4')).partyFlags).toEqual({ six_haves_venue: 1, cross_appointment: 1 });
      expect((await project(P1, '2025')).partyFlags).toEqual({ six_haves_venue: 1, cross_appointment: 1 });
      // only the 2024 record overlaps 2024
      expect((await project(P1, '2024')).partyFlags).toEqual({ six_haves_sign: 1 });
    });

    it('counts the months with a joint meeting', async () => {
      expect((await project(P1, '2025-Q1')).jointMeetingMonths).toBe(2);
      expect((await project(P1, '2025-Q2')).jointMeetingMonths).toBe(1);
      expect((await project(P1, '2025')).jointMeetingMonths).toBe(3);
      expect((await project(P1, '2025-02')).jointMeetingMonths).toBe(0);
    });

    it('takes three-party ratings of the latest year not after the period', async () => {
      expect((await project(P1, '2025-Q3')).threeParty).toEqual({ mean: 4.125, year: 2024, ratings: 2 });
      expect((await project(P1, '2026')).threeParty).toEqual({ mean: 5, year: 2026, ratings: 1 });
      expect((await project(P1, '2023')).threeParty).toEqual({ mean: null, year: null, ratings: 0 });
      // (4.1 + 4.2) / 2 in floating point is 4.1499999...; the exact sum gives 4.15
      expect((await project(P3, '2025')).threeParty).toEqual({ mean: 4.15, year: 2025, ratings: 2 });
    });

    it('counts project events by kind and honours by level', async () => {
      expect((await project(P1, '2025')).events).toEqual({ finding: 1, honour: 3, honourByLevel: { city: 2, province: 1 } });
      expect((await project(P1, '2025-H1')).events).toEqual({ finding: 1, honour: 2, honourByLevel: { city: 1, province: 1 } });
      expect((await project(P1, '2025-Q3')).events).toEqual({ honour: 1, honourByLevel: { city: 1 } });
      expect((await project(P1, '2025-Q4')).events).toEqual({});
      expect((await project(P4, '2025')).events).toEqual({ safety_incident: 1 });
    });

    it('restricts the scope to one street', async () => {
      const s1 = await metrics.projectMetrics({ period: '2025', streetCode: S1 }, PARAMS);
      expect(s1.map((r) => r.projectCode)).toEqual([P1, P2, P4]);
      expect(s1[0].survey.answers).toBe(10);
      const s2 = await metrics.projectMetrics({ period: '2025', streetCode: S2 }, PARAMS);
      expect(s2.map((r) => r.projectCode)).toEqual([P3]);
      expect(s2[0].complaints.tickets).toBe(1);
      expect(await metrics.projectMetrics({ period: '2025', streetCode: '999999999' }, PARAMS)).toEqual([]);
    });

    it('refuses an invalid period', async () => {
      await expect(metrics.projectMetrics(all('2025-Q5'), PARAMS)).rejects.toMatchObject({ code: 'PERIOD_INVALID' });
    });
  });

  describe('companyMetrics', () => {
    it('returns the companies managing projects in scope, by uscc', async () => {
      const rows = await metrics.companyMetrics(all('2025'), PARAMS);
      expect(rows.map((r) => [r.uscc, r.name, r.hasPartyOrg])).toEqual([
        [C1, '四川蜀信物业服务有限公司', true],
        [C2, '成都锦城物业有限公司', false],
      ]);
      expect((await metrics.companyMetrics({ period: '2025', streetCode: S2 }, PARAMS)).map((r) => r.uscc)).toEqual([C2]);
    });

    it('counts company-level events in the period and events of any level in the record window', async () => {
      const [year] = await metrics.companyMetrics(all('2025'), PARAMS);
      expect(year.events).toEqual({ public_criticism: 1, finding: 1 });
      expect(year.eventsInRecordWindow).toEqual({ finding: 2, honour: 3, honourByLevel: { city: 2, province: 1 }, public_criticism: 1 });

      // 2025-Q3, 12 months: 2024-10-01 .. 2025-09-30
      const [q3] = await metrics.companyMetrics(all('2025-Q3'), PARAMS);
      expect(q3.events).toEqual({});
      expect(q3.eventsInRecordWindow).toEqual({
        administrative_penalty: 1,
        finding: 2,
        honour: 3,
        honourByLevel: { city: 2, province: 1 },
        public_criticism: 1,
      });

      const [shortWindow] = await metrics.companyMetrics(all('2025'), { ...PARAMS, badRecordWindowMonths: 3 });
      expect(shortWindow.eventsInRecordWindow).toEqual({ finding: 1 });
    });

    it('counts tickets of the last two quarters over the projects in scope', async () => {
      const [c1, c2] = await metrics.companyMetrics(all('2025'), PARAMS);
      expect(c1.complaintQuarters).toEqual([
        { quarter: '2025-Q3', tickets: 0, households: 800 },
        { quarter: '2025-Q4', tickets: 0, households: 800 },
      ]);
      expect(c2.complaintQuarters).toEqual([
        { quarter: '2025-Q3', tickets: 2, households: 300 },
        { quarter: '2025-Q4', tickets: 0, households: 300 },
      ]);
      const [q1] = await metrics.companyMetrics(all('2025-Q1'), PARAMS);
      expect(q1.complaintQuarters).toEqual([
        { quarter: '2024-Q4', tickets: 1, households: 800 },
        { quarter: '2025-Q1', tickets: 5, households: 800 },
      ]);
      const [may] = await metrics.companyMetrics(all('2025-05'), PARAMS);
      expect(may.complaintQuarters).toEqual([
        { quarter: '2025-Q1', tickets: 5, households: 800 },
        { quarter: '2025-Q2', tickets: 1, households: 800 },
      ]);
      const [s2] = await metrics.companyMetrics({ period: '2025-Q3', streetCode: S2 }, PARAMS);
      expect(s2.complaintQuarters).toEqual([
        { quarter: '2025-Q2', tickets: 0, households: 200 },
        { quarter: '2025-Q3', tickets: 1, households: 200 },
      ]);
    });
  });

  describe('inputDigest', () => {
    const reload = (batch: RecordBatch) => intake.load(batch, { mode: 'replace' });
    afterAll(() => reload(fixture()));

    it('is a stable hex digest, the same on every backend', async () => {
      await reload(fixture());
      const digest = await metrics.inputDigest(all('2025'), PARAMS);
      expect(digest).toMatch(/^[0-9a-f]{64}$/);
      expect(await metrics.inputDigest(all('2025'), PARAMS)).toBe(digest);
      const projectRows = await metrics.projectMetrics(all('2025'), PARAMS);
      const companyRows = await metrics.companyMetrics(all('2025'), PARAMS);
      fixtureResults.set(backend.name, { digest, metrics: JSON.stringify([projectRows, companyRows]) });
    });

    it('is equal for equal data, whatever the insertion order', async () => {
      await reload(fixture());
      const before = await metrics.inputDigest(all('2025'), PARAMS);
      const beforeStreet = await metrics.inputDigest({ period: '2025-Q1', streetCode: S1 }, PARAMS);
      await reload(reversed(fixture()));
      expect(await metrics.inputDigest(all('2025'), PARAMS)).toBe(before);
      expect(await metrics.inputDigest({ period: '2025-Q1', streetCode: S1 }, PARAMS)).toBe(beforeStreet);
    });

    it('changes when one answer changes, only for the scopes and periods that read it', async () => {
      await reload(fixture());
      const year = await metrics.inputDigest(all('2025'), PARAMS);
      const street2 = await metrics.inputDigest({ period: '2025', streetCode: S2 }, PARAMS);
      const q3 = await metrics.inputDigest(all('2025-Q3'), PARAMS);
      await reload(withFirstAnswer(fixture(), 1));
      expect(await metrics.inputDigest(all('2025'), PARAMS)).not.toBe(year);
      expect(await metrics.inputDigest({ period: '2025', streetCode: S2 }, PARAMS)).toBe(street2);
      expect(await metrics.inputDigest(all('2025-Q3'), PARAMS)).toBe(q3);
    });

    it('differs between scopes, periods and record windows', async () => {
      await reload(fixture());
      const digests = await Promise.all([
        metrics.inputDigest(all('2025'), PARAMS),
        metrics.inputDigest(all('2025-Q1'), PARAMS),
        metrics.inputDigest({ period: '2025', streetCode: S1 }, PARAMS),
        metrics.inputDigest(all('2025'), { ...PARAMS, badRecordWindowMonths: 24 }),
      ]);
      expect(new Set(digests).size).toBe(digests.length);
      // thresholds are rules, not inputs
      expect(await metrics.inputDigest(all('2025'), { ...PARAMS, positiveAnswerMin: 5, responseWindowHours: 48 })).toBe(digests[0]);
    });

    it('changes with a fact read only through a window beyond the period', async () => {
      // E8 (2024-10-01) is read for 2025-Q3 through the bad-record window only
      await reload(fixture());
      const q3 = await metrics.inputDigest(all('2025-Q3'), PARAMS);
      const batch = fixture();
      batch.events = [...(batch.events as { record: ReturnType<typeof anEvent> }[])].map((e) =>
        e.record.eventNo === 'E8' ? { record: { ...e.record, description: '改正后的说明' } } : e,
      );
      await reload(batch);
      expect(await metrics.inputDigest(all('2025-Q3'), PARAMS)).not.toBe(q3);
    });
  });
});

describe('metrics across backends', () => {
  const both = testBackendNames().length > 1;
  (both ? it : it.skip)('PGlite and PostgreSQL give the same digest and the same metrics for the same data', () => {
    const pglite = fixtureResults.get('pglite');
    const postgres = fixtureResults.get('postgres');
    expect(pglite).toBeDefined();
    expect(postgres).toBeDefined();
    expect(postgres!.digest).toBe(pglite!.digest);
    expect(postgres!.metrics).toBe(pglite!.metrics);
  });
});

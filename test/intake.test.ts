import type { INestApplicationContext } from '@nestjs/common';
import { DatabaseAdminService } from '../src/db/database-admin.service.js';
import { DomainError, ValidationFailedError } from '../src/domain/errors.js';
import { IntakeService } from '../src/intake/intake.service.js';
import { createTestApp } from './support/app.js';
import { describeEachBackend } from './support/backends.js';
import { aComplaint, aFee, aPartyCheck, aProject, aRating, aSurveyAnswer, anEvent, baseMasters } from './support/factories.js';

describeEachBackend('intake', ({ database }) => {
  let app: INestApplicationContext;
  let intake: IntakeService;
  let admin: DatabaseAdminService;
  const counts = async () => Object.fromEntries((await admin.countRows()).map((c) => [c.table, c.rows]));

  beforeAll(async () => {
    app = await createTestApp(database());
    intake = app.get(IntakeService);
    admin = app.get(DatabaseAdminService);
  });
  afterAll(() => app.close());
  beforeEach(() => intake.load({}, { mode: 'replace' }));

  const fullBatch = () => ({
    ...baseMasters(),
    surveyAnswers: [1, 2, 3].map((q) => ({ record: aSurveyAnswer({ questionNo: q }) })),
    complaints: [{ record: aComplaint() }],
    fees: [{ record: aFee() }],
    partyChecks: [{ record: aPartyCheck() }, { record: aPartyCheck({ indicatorCode: 'joint_meetings', period: '2025-03', value: 2 }) }],
    events: [{ record: anEvent() }, { record: anEvent({ eventNo: 'E2025-000002', kind: 'honour', honourLevel: 'city', projectCode: null }) }],
    ratings: [{ record: aRating() }],
  });

  it.each(['replace', 'merge'] as const)('stores a valid load in %s mode with the periods of its years', async (mode) => {
    await intake.load(fullBatch(), { mode });
    expect(await counts()).toMatchObject({
      streets: 1,
      communities: 1,
      companies: 1,
      projects: 1,
      survey_answers: 3,
      complaint_tickets: 1,
      fee_records: 1,
      party_checks: 2,
      credit_events: 2,
      three_party_ratings: 1,
      assessment_periods: 19,
    });
  });

  it('loading the same records twice in merge mode changes nothing', async () => {
    await intake.load(fullBatch(), { mode: 'merge' });
    const first = await counts();
    await intake.load(fullBatch(), { mode: 'merge' });
    expect(await counts()).toEqual(first);
  });

  it('a load with faults stores nothing and names every faulty record, file, sheet, row and field', async () => {
    await intake.load(baseMasters(), { mode: 'merge' });
    const before = await counts();
    const origin = (row: number) => ({ file: 'fees.xlsx', sheet: '物业费收缴', row });
    const error = await intake
      .load(
        {
          projects: [{ record: aProject({ code: 'XM00000009', households: 10, occupiedHouseholds: 12 }) }],
          surveyAnswers: [{ record: aSurveyAnswer() }, { record: aSurveyAnswer({ questionNo: 2, answer: 9 }) }],
          fees: [
            { record: aFee(), origin: origin(2) },
            { record: aFee({ month: '2025-04', collectedAmount: 130000 }), origin: origin(3) },
          ],
        },
        { mode: 'merge' },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailedError);
    const faults = (error as ValidationFailedError).faults;
    expect(faults.map((f) => [f.record, f.field, f.code])).toEqual([
      ['物业项目 XM00000009', 'occupiedHouseholds', 'OCCUPIED_EXCEEDS_HOUSEHOLDS'],
      ['满意度调查答卷 XM00000001/2025-03/问卷1/第2题', 'answer', 'ANSWER_OUT_OF_RANGE'],
      ['文件 fees.xlsx / 工作表 物业费收缴 / 第 3 行 / 物业费收缴 XM00000001/2025-04', 'collectedAmount', 'COLLECTED_EXCEEDS_BILLED'],
    ]);
    expect(faults[2].origin).toEqual({ file: 'fees.xlsx', sheet: '物业费收缴', row: 3 });
    expect(await counts()).toEqual(before);
  });

  it('refuses a repeated key within one load', async () => {
    const error = await intake
      .load({ ...baseMasters(), complaints: [{ record: aComplaint() }, { record: aComplaint() }] }, { mode: 'merge' })
      .catch((e: unknown) => e);
    expect((error as ValidationFailedError).faults.map((f) => f.code)).toEqual(['DUPLICATE_KEY']);
    expect((await counts()).companies).toBe(0);
  });

  it('a bulk append that repeats a stored key is refused as a whole', async () => {
    const error = await intake
      .load({ ...baseMasters(), surveyAnswers: [{ record: aSurveyAnswer() }, { record: aSurveyAnswer() }] }, { mode: 'replace' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('DUPLICATE_KEY');
    expect((await counts()).projects).toBe(0);
  });

  it('facts may refer to master data stored by an earlier load', async () => {
    await intake.load(baseMasters(), { mode: 'merge' });
    await intake.load({ fees: [{ record: aFee() }] }, { mode: 'merge' });
    expect((await counts()).fee_records).toBe(1);
  });
});

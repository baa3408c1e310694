import {
  aCommunity,
  aCompany,
  aComplaint,
  aFee,
  aPartyCheck,
  aProject,
  aRating,
  aStreet,
  aSurveyAnswer,
  anEvent,
  validUscc,
} from '../../test/support/factories.js';
import { validateRecord, type References } from './record-validation.js';
import type { RecordKind, RecordTypes } from './records.js';

const refs: References = {
  hasStreet: (code) => code === '510104001' || code === '510104002',
  communityStreet: (code) => ({ '510104001001': '510104001', '510104002001': '510104002' })[code],
  hasCompany: (uscc) => uscc === validUscc(1) || uscc === validUscc(2),
  projectCompany: (code) => ({ XM00000001: validUscc(1), XM00000002: validUscc(2) })[code],
};

function codes<K extends RecordKind>(kind: K, record: RecordTypes[K]): string[] {
  return (validateRecord(kind, record, refs) ?? []).map((f) => `${f.field}:${f.code}`);
}

describe('record validation', () => {
  it('accepts the valid defaults of every kind', () => {
    expect(codes('streets', aStreet())).toEqual([]);
    expect(codes('communities', aCommunity())).toEqual([]);
    expect(codes('companies', aCompany())).toEqual([]);
    expect(codes('projects', aProject())).toEqual([]);
    expect(codes('surveyAnswers', aSurveyAnswer())).toEqual([]);
    expect(codes('complaints', aComplaint())).toEqual([]);
    expect(codes('fees', aFee())).toEqual([]);
    expect(codes('partyChecks', aPartyCheck())).toEqual([]);
    expect(codes('events', anEvent())).toEqual([]);
    expect(codes('ratings', aRating())).toEqual([]);
  });

  describe('unknown references', () => {
    it('street of a community', () => {
      expect(codes('communities', aCommunity({ streetCode: '999999999' }))).toEqual(['streetCode:UNKNOWN_STREET']);
    });
    it('street, community and company of a project', () => {
      expect(codes('projects', aProject({ streetCode: '999999999', communityCode: '999', companyUscc: validUscc(77) }))).toEqual([
        'streetCode:UNKNOWN_STREET',
        'communityCode:UNKNOWN_COMMUNITY',
        'companyUscc:UNKNOWN_COMPANY',
      ]);
    });
    it('a community of another street', () => {
      expect(codes('projects', aProject({ communityCode: '510104002001' }))).toEqual(['communityCode:COMMUNITY_NOT_IN_STREET']);
    });
    it('project of every fact kind', () => {
      const projectCode = 'XM99999999';
      expect(codes('surveyAnswers', aSurveyAnswer({ projectCode }))).toEqual(['projectCode:UNKNOWN_PROJECT']);
      expect(codes('complaints', aComplaint({ projectCode }))).toEqual(['projectCode:UNKNOWN_PROJECT']);
      expect(codes('fees', aFee({ projectCode }))).toEqual(['projectCode:UNKNOWN_PROJECT']);
      expect(codes('partyChecks', aPartyCheck({ projectCode }))).toEqual(['projectCode:UNKNOWN_PROJECT']);
      expect(codes('events', anEvent({ projectCode }))).toEqual(['projectCode:UNKNOWN_PROJECT']);
      expect(codes('ratings', aRating({ projectCode }))).toEqual(['projectCode:UNKNOWN_PROJECT']);
    });
    it('company of an event and of a company-level indicator', () => {
      expect(codes('events', anEvent({ companyUscc: validUscc(77), projectCode: null }))).toEqual(['companyUscc:UNKNOWN_COMPANY']);
      expect(
        codes(
          'partyChecks',
          aPartyCheck({ scope: 'company', projectCode: null, companyUscc: validUscc(77), indicatorCode: 'company_party_members', value: 3 }),
        ),
      ).toEqual(['companyUscc:UNKNOWN_COMPANY']);
    });
    it('an event on a project the company does not manage', () => {
      expect(codes('events', anEvent({ projectCode: 'XM00000002' }))).toEqual(['projectCode:PROJECT_NOT_OF_COMPANY']);
    });
  });

  it('统一社会信用代码 with a wrong check digit, length or character', () => {
    const good = validUscc(5);
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const fault = validateRecord('companies', aCompany({ uscc: wrongCheck }), refs)!;
    expect(fault.map((f) => f.code)).toEqual(['USCC_INVALID']);
    expect(fault[0].message).toContain('校验码错误');
    expect(codes('companies', aCompany({ uscc: good.slice(1) }))).toEqual(['uscc:USCC_INVALID']);
    expect(codes('companies', aCompany({ uscc: good.slice(0, 10) + 'O' + good.slice(11) }))).toEqual(['uscc:USCC_INVALID']);
  });

  it('households must be positive and occupied must not exceed households', () => {
    expect(codes('projects', aProject({ households: 0 }))).toEqual(['households:NUMBER_OUT_OF_RANGE']);
    expect(codes('projects', aProject({ households: -3 }))).toEqual(['households:NUMBER_OUT_OF_RANGE']);
    expect(codes('projects', aProject({ households: 100, occupiedHouseholds: 101 }))).toEqual(['occupiedHouseholds:OCCUPIED_EXCEEDS_HOUSEHOLDS']);
    expect(codes('projects', aProject({ households: 100, occupiedHouseholds: 100 }))).toEqual([]);
    expect(codes('projects', aProject({ floorAreaM2: 0 }))).toEqual(['floorAreaM2:AMOUNT_INVALID']);
  });

  it.each([0, 6, 4.5, Number.NaN])('answer %p is outside 1-5', (answer) => {
    expect(codes('surveyAnswers', aSurveyAnswer({ answer }))).toEqual(['answer:ANSWER_OUT_OF_RANGE']);
  });

  it('survey month and channel', () => {
    expect(codes('surveyAnswers', aSurveyAnswer({ month: '2025-13' }))).toEqual(['month:MONTH_INVALID']);
    expect(codes('surveyAnswers', aSurveyAnswer({ channel: 'wechat' as never }))).toEqual(['channel:CHANNEL_INVALID']);
  });

  it('responded or resolved before received', () => {
    const receivedAt = new Date('2025-03-04T10:00:00Z');
    expect(codes('complaints', aComplaint({ receivedAt, respondedAt: new Date('2025-03-04T09:59:59Z') }))).toEqual(['respondedAt:RESPONDED_BEFORE_RECEIVED']);
    expect(codes('complaints', aComplaint({ receivedAt, respondedAt: receivedAt, resolvedAt: new Date('2025-03-01T00:00:00Z') }))).toEqual([
      'resolvedAt:RESOLVED_BEFORE_RECEIVED',
    ]);
    expect(codes('complaints', aComplaint({ resolved: true, resolvedAt: null }))).toEqual(['resolvedAt:RESOLVED_TIME_MISSING']);
    expect(codes('complaints', aComplaint({ resolved: false, resolvedAt: null, revisitVerdict: null }))).toEqual([]);
  });

  it('collected more than billed', () => {
    expect(codes('fees', aFee({ billedAmount: 100, collectedAmount: 100.01 }))).toEqual(['collectedAmount:COLLECTED_EXCEEDS_BILLED']);
    expect(codes('fees', aFee({ householdsBilled: 10, householdsPaid: 11 }))).toEqual(['householdsPaid:PAID_EXCEEDS_BILLED']);
    expect(codes('fees', aFee({ billedAmount: 100.001 }))).toEqual(['billedAmount:AMOUNT_PRECISION']);
    expect(codes('fees', aFee({ billedAmount: 100, collectedAmount: 100 }))).toEqual([]);
  });

  it('unknown indicator codes and values that do not fit the indicator', () => {
    expect(codes('partyChecks', aPartyCheck({ indicatorCode: 'six_haves_pool' as never }))).toEqual(['indicatorCode:UNKNOWN_INDICATOR']);
    expect(codes('partyChecks', aPartyCheck({ indicatorCode: 'company_party_members' }))).toEqual(['indicatorCode:INDICATOR_SCOPE_MISMATCH']);
    expect(codes('partyChecks', aPartyCheck({ value: 2 }))).toEqual(['value:FLAG_VALUE_INVALID']);
    expect(codes('partyChecks', aPartyCheck({ indicatorCode: 'joint_meetings', period: '2025-07', value: 1.5 }))).toEqual(['value:NUMBER_OUT_OF_RANGE']);
    expect(codes('partyChecks', aPartyCheck({ period: '2025-Q5' }))).toEqual(['period:PERIOD_INVALID']);
    // a yearly or quarterly total of joint meetings cannot tell which months had one
    for (const period of ['2025', '2025-H2', '2025-Q3']) {
      expect(codes('partyChecks', aPartyCheck({ indicatorCode: 'joint_meetings', period, value: 12 }))).toEqual(['period:PARTY_COUNT_MONTHLY_ONLY']);
    }
    expect(codes('partyChecks', aPartyCheck({ indicatorCode: 'joint_meetings', period: '2025-07', value: 2 }))).toEqual([]);
  });

  it('event kinds, honour levels and dates', () => {
    expect(codes('events', anEvent({ kind: 'bribery' as never }))).toEqual(['kind:UNKNOWN_EVENT_KIND']);
    expect(codes('events', anEvent({ kind: 'honour', honourLevel: null }))).toEqual(['honourLevel:HONOUR_LEVEL_MISSING']);
    expect(codes('events', anEvent({ kind: 'finding', honourLevel: 'city' }))).toEqual(['honourLevel:HONOUR_LEVEL_UNEXPECTED']);
    expect(codes('events', anEvent({ occurredOn: '2025-02-30' }))).toEqual(['occurredOn:DATE_INVALID']);
    expect(codes('events', anEvent({ source: ' ' }))).toEqual(['source:REQUIRED']);
  });

  it('three-party ratings are yearly and within 1-5', () => {
    expect(codes('ratings', aRating({ rating: 5.5 }))).toEqual(['rating:RATING_OUT_OF_RANGE']);
    expect(codes('ratings', aRating({ period: '2025-Q4' }))).toEqual(['period:PERIOD_INVALID']);
  });

  it('messages are in Chinese and name the value at fault', () => {
    const [fault] = validateRecord('surveyAnswers', aSurveyAnswer({ answer: 7 }), refs)!;
    expect(fault.message).toBe('答案应为 1 至 5 的整数，实际为“7”');
  });
});

import { claimKind, parseClaimedValue } from './claimed-value.js';

const ok = (value: number | boolean) => ({ ok: true, value });

describe('claimKind', () => {
  it('classifies the facts the rules read', () => {
    expect(claimKind('satisfactionRate')).toBe('rate');
    expect(claimKind('feeCollectionRateByHousehold')).toBe('rate');
    expect(claimKind('hasPartyBranch')).toBe('boolean');
    expect(claimKind('hasCompanyPartyOrg')).toBe('boolean');
    expect(claimKind('sixHavesVenue')).toBe('flag');
    expect(claimKind('crossAppointment')).toBe('flag');
    expect(claimKind('membersShowIdentity')).toBe('flag');
    expect(claimKind('administrativePenalties')).toBe('count');
    expect(claimKind('honoursCity')).toBe('count');
    expect(claimKind('jointMeetingMonths')).toBe('count');
    expect(claimKind('threePartyMean')).toBe('number');
    expect(claimKind('complaintsPer100HouseholdsYear')).toBe('number');
  });
});

describe('parseClaimedValue', () => {
  it.each<[unknown, number]>([
    [0.96, 0.96],
    [1, 1],
    [0, 0],
    [96, 0.96],
    [96.5, 0.965],
    [100, 1],
    ['96%', 0.96],
    ['96.5 %', 0.965],
    ['９６％', 0.96],
    ['0.96', 0.96],
    ['96', 0.96],
    [' 100% ', 1],
  ])('reads the rate %j as %d', (raw, value) => {
    expect(parseClaimedValue('satisfactionRate', raw)).toEqual(ok(value));
  });

  it('refuses a rate outside 0–100 % or unreadable', () => {
    for (const raw of [101, -0.1, '120%', '-5%'])
      expect(parseClaimedValue('satisfactionRate', raw)).toMatchObject({ ok: false, code: 'APPEAL_CLAIM_OUT_OF_RANGE' });
    for (const raw of ['九成', '96%%', true, new Date(0)])
      expect(parseClaimedValue('satisfactionRate', raw)).toMatchObject({ ok: false, code: 'APPEAL_CLAIM_INVALID' });
    const refused = parseClaimedValue('satisfactionRate', '九成');
    expect(!refused.ok && refused.message).toContain('满意率');
    expect(!refused.ok && refused.message).toContain('96%');
  });

  it('reads yes and no for booleans and flags', () => {
    for (const raw of ['是', '有', 'TRUE', 'true', 1, '1', true]) expect(parseClaimedValue('hasPartyBranch', raw)).toEqual(ok(true));
    for (const raw of ['否', '无', 'FALSE', 0, '0', false]) expect(parseClaimedValue('hasPartyBranch', raw)).toEqual(ok(false));
    for (const raw of ['是', 1, '1', true, '有']) expect(parseClaimedValue('sixHavesVenue', raw)).toEqual(ok(1));
    for (const raw of ['否', 0, '0', false, '无']) expect(parseClaimedValue('crossAppointment', raw)).toEqual(ok(0));
    expect(parseClaimedValue('partyInstructor', 2)).toMatchObject({ ok: false, code: 'APPEAL_CLAIM_INVALID' });
    expect(parseClaimedValue('hasPartyBranch', '也许')).toMatchObject({ ok: false, code: 'APPEAL_CLAIM_INVALID' });
  });

  it('reads whole numbers for counts', () => {
    expect(parseClaimedValue('administrativePenalties', 0)).toEqual(ok(0));
    expect(parseClaimedValue('administrativePenalties', '2')).toEqual(ok(2));
    expect(parseClaimedValue('administrativePenalties', '3次')).toEqual(ok(3));
    expect(parseClaimedValue('jointMeetingMonths', '12个月')).toEqual(ok(12));
    expect(parseClaimedValue('jointMeetingMonths', 11.999999999999998)).toEqual(ok(12));
    expect(parseClaimedValue('administrativePenalties', 1.5)).toMatchObject({ ok: false, code: 'APPEAL_CLAIM_INVALID' });
    expect(parseClaimedValue('administrativePenalties', -1)).toMatchObject({ ok: false, code: 'APPEAL_CLAIM_OUT_OF_RANGE' });
    expect(parseClaimedValue('administrativePenalties', '若干')).toMatchObject({ ok: false, code: 'APPEAL_CLAIM_INVALID' });
  });

  it('reads other numbers as finite numbers not below 0', () => {
    expect(parseClaimedValue('threePartyMean', 88.5)).toEqual(ok(88.5));
    expect(parseClaimedValue('threePartyMean', '88.5')).toEqual(ok(88.5));
    expect(parseClaimedValue('complaintsPer100HouseholdsYear', '1.25')).toEqual(ok(1.25));
    expect(parseClaimedValue('threePartyMean', -1)).toMatchObject({ ok: false, code: 'APPEAL_CLAIM_OUT_OF_RANGE' });
    expect(parseClaimedValue('threePartyMean', Number.POSITIVE_INFINITY)).toMatchObject({ ok: false, code: 'APPEAL_CLAIM_INVALID' });
  });

  it('says when nothing was claimed', () => {
    for (const raw of [null, undefined, '', '  ']) expect(parseClaimedValue('satisfactionRate', raw)).toMatchObject({ ok: false, code: 'APPEAL_CLAIM_EMPTY' });
  });
});

import { ImportChecker, type MasterRecords } from './import-check.js';
import type { ProjectRecord } from '../records.js';

const uscc = '91510104MA61XXXX0Q';
const stored = {
  streets: new Set(['S1']),
  communities: new Map([['C1', 'S1']]),
  companies: new Set([uscc]),
  projects: new Map([['P1', uscc]]),
};
const project = (o: Partial<ProjectRecord> = {}): ProjectRecord => ({
  code: 'P2',
  name: '新项目',
  streetCode: 'S2',
  communityCode: 'C2',
  companyUscc: uscc,
  households: 10,
  occupiedHouseholds: 5,
  floorAreaM2: 100,
  hasPartyBranch: false,
  ...o,
});
const fee = (projectCode: string, month = '2025-03') => ({
  projectCode,
  month,
  billedAmount: 10,
  collectedAmount: 5,
  householdsBilled: 2,
  householdsPaid: 1,
});

describe('checking an import without writing', () => {
  it('refers to stored master data and to the file own, as the intake does, and finds repeated keys', () => {
    const checker = new ImportChecker(stored);
    const masters: MasterRecords = {
      streets: [{ record: { code: 'S2', name: '新街道' } }],
      communities: [{ record: { code: 'C2', name: '新社区', streetCode: 'S2' } }],
      companies: [],
      projects: [{ record: project() }, { record: project({ occupiedHouseholds: 20 }) }],
    };
    checker.admitMasters(masters);
    const faults: [string, string, string][] = [];
    checker.checkMasters(masters, (kind, _item, list) => list.forEach((f) => faults.push([kind, f.field, f.code])));
    expect(faults).toEqual([
      ['projects', 'code', 'DUPLICATE_KEY'],
      ['projects', 'occupiedHouseholds', 'OCCUPIED_EXCEEDS_HOUSEHOLDS'],
    ]);
    expect(checker.checkFact('fees', fee('P1'))).toBeNull();
    expect(checker.checkFact('fees', fee('P2'))).toBeNull();
    expect(checker.checkFact('fees', fee('P1'))).toEqual([{ field: 'month', code: 'DUPLICATE_KEY', message: '同一批数据中“P1/2025-03”重复出现' }]);
    expect(checker.checkFact('fees', fee('P9', '2025-04'))!.map((f) => f.code)).toEqual(['UNKNOWN_PROJECT']);
    checker.resetFacts();
    expect(checker.checkFact('fees', fee('P1'))).toBeNull();
    expect(checker.isStored('projects', 'P1')).toBe(true);
    expect(checker.isStored('projects', 'P2')).toBe(false);
  });
});

import { anIndicatorLine } from '../../reports/indicator-lines.factory.js';
import { SCORESHEET_COLUMNS, SCORESHEET_SHEET_NAME, scoresheetRow } from '../../reports/scoresheet.content.js';
import {
  APPEAL_COLUMNS,
  APPEAL_COLUMN_INDEXES,
  INSTRUCTIONS_SHEET_NAME,
  appealInstructionsSheet,
  appealScoresheetRow,
  appealScoresheetSpec,
  claimedFormat,
} from './appeal-sheet.content.js';
import { signedCellsOfSheets } from './signature.js';

const line = anIndicatorLine;

describe('appeal score sheet', () => {
  it('adds the three appeal columns after the score sheet and unlocks only them', () => {
    const spec = appealScoresheetSpec('标题');
    expect(spec.name).toBe(SCORESHEET_SHEET_NAME);
    expect(spec.columns.map((c) => c.header).slice(-3)).toEqual(['申诉主张值', '申诉理由', '证据材料（文件名或链接）']);
    expect(spec.columns).toHaveLength(SCORESHEET_COLUMNS.length + APPEAL_COLUMNS.length);
    expect(spec.protection?.unlockedColumns).toEqual([12, 13, 14]);
    expect(APPEAL_COLUMN_INDEXES.map((i) => spec.columns[i].header)).toEqual(APPEAL_COLUMNS.map((c) => c.header));
    expect(spec.hidden).toBeFalsy();
  });

  it('writes the score-sheet row with empty appeal cells, the claim formatted like the main fact', () => {
    const rate = appealScoresheetRow(line({}));
    expect(rate.cells.slice(0, 12)).toEqual(scoresheetRow(line({})).cells);
    expect(rate.cells.slice(12)).toEqual([null, null, null]);
    expect(rate.formats?.[7]).toBe('percent');
    expect(rate.formats?.[12]).toBe('percent');
    expect(appealScoresheetRow(line({ mainFact: 'hasPartyBranch', mainValue: false })).formats?.[12]).toBe('text');
    expect(appealScoresheetRow(line({ mainFact: 'sixHavesVenue', mainValue: 0 })).formats?.[12]).toBe('text');
    expect(appealScoresheetRow(line({ mainFact: 'administrativePenalties', mainValue: 2 })).formats?.[12]).toBe('integer');
    expect(appealScoresheetRow(line({ mainFact: 'threePartyMean', mainValue: 88.5 })).formats?.[12]).toBe('decimal2');
    expect(appealScoresheetRow(line({ mainFact: null, mainValue: null })).formats?.[12]).toBe('text');
    expect(appealScoresheetRow(line({ section: 'veto' })).fill).toBe('black');
    expect(claimedFormat('feeCollectionRateByAmount')).toBe('percent');
  });

  it('leaves the appeal cells out of the signature', () => {
    const spec = appealScoresheetSpec('标题');
    const cells = signedCellsOfSheets([{ spec, rows: [appealScoresheetRow(line({}))] }]);
    expect(cells.map((c) => c.address)).toContain('M2');
    expect(cells.some((c) => /^[MNO]3$/.test(c.address))).toBe(false);
  });
});

describe('instructions sheet', () => {
  it('tells what to fill, until when, and that other changes are refused', () => {
    const sheet = appealInstructionsSheet({ title: '锦江物业 · 填写说明', appealDeadline: '2026-01-20', revision: 2 });
    expect(sheet.spec.name).toBe(INSTRUCTIONS_SHEET_NAME);
    expect(sheet.spec.protection).toEqual({ unlockedColumns: [] });
    const text = sheet.rows.map((r) => r.cells.join(' ')).join('\n');
    for (const words of ['黄色列', '申诉理由', '必填', '96%', '是”或“否', '文件的名称或链接', '2026-01-20', '改动', '.xlsx', '第 2 次修订版'])
      expect(text).toContain(words);
  });
});

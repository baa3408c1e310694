import { parsePeriod } from '../../domain/period.js';
import { anIndicatorLine } from '../../reports/indicator-lines.factory.js';
import { signedCellsOfSheets } from './signature.js';
import { NOTICE_SHEET_NAME, isFinding, noticeSheet } from './notice.content.js';

const line = anIndicatorLine;

const LINES = [
  line({}),
  line({ lineId: '7-P0001-fees', section: 'fees', sectionLabel: '物业费收缴', points: 15, max: 15 }),
  line({
    lineId: '7-P0001-party-branch',
    section: 'party',
    sectionLabel: '党建引领',
    rule: 'party-branch',
    clause: '建立党支部得 2 分',
    mainFact: 'hasPartyBranch',
    mainValue: false,
    factsText: '小区建立党支部 否',
    points: 0,
    max: 2,
  }),
  line({ lineId: '7-P0001-bonus-honour', section: 'bonus', sectionLabel: '加分', points: 2, max: null }),
  line({
    lineId: '7-P0001-deduction-penalty',
    section: 'deduction',
    sectionLabel: '扣分',
    rule: 'penalty',
    clause: '行政处罚每次扣 5 分',
    factsText: '行政处罚次数 2',
    points: -10,
    max: null,
  }),
  line({
    lineId: '7-91510100MA6C000001-veto-fund',
    projectCode: null,
    projectName: null,
    section: 'veto',
    sectionLabel: '一票否决',
    rule: 'fund',
    clause: '挪用维修资金',
    factsText: '挪用专项维修资金',
    points: null,
    max: null,
  }),
  line({ lineId: '7-P0002-notAssessed', section: 'notAssessed', sectionLabel: '本期不参评', rule: null, clause: null, points: null, max: null }),
];

const input = {
  company: { name: '锦江物业', uscc: '91510100MA6C000001' },
  period: parsePeriod('2025-H1')!,
  runId: 7,
  revision: 0,
  publishedOn: '2025-07-05',
  appealDeadline: '2025-07-20',
  rectificationDeadline: '2025-08-04',
  lines: LINES,
};

describe('告知单', () => {
  it('lists lost points, deductions and vetoes, not full marks, bonuses or unassessed projects', () => {
    expect(LINES.filter(isFinding).map((l) => l.lineId)).toEqual([
      '7-P0001-satisfaction',
      '7-P0001-party-branch',
      '7-P0001-deduction-penalty',
      '7-91510100MA6C000001-veto-fund',
    ]);
    const sheet = noticeSheet(input);
    expect(sheet.findings).toBe(4);
    expect(sheet.spec.name).toBe(NOTICE_SHEET_NAME);
    expect(sheet.spec.title).toBe('锦江物业（91510100MA6C000001）2025年上半年考核结果告知单');
    const byId = new Map(sheet.rows.map((r) => [r.cells[0], r.cells]));
    expect(byId.get('7-P0001-satisfaction')).toEqual([
      '7-P0001-satisfaction',
      'P0001 锦江花园',
      '满意度：满意率（计分用） 93%',
      '满意率 ≥ 90% 且 < 95%，得 27 分（satisfaction-ge-90）',
      '27 / 30（失 3 分）',
      '2025-08-04',
      '2025-07-20',
    ]);
    expect(byId.get('7-P0001-deduction-penalty')?.[4]).toBe('扣 10 分');
    expect(byId.get('7-91510100MA6C000001-veto-fund')?.slice(1, 5)).toEqual(['企业层面', '一票否决：挪用专项维修资金', '挪用维修资金（fund）', '一票否决']);
    expect(sheet.rows.find((r) => r.cells[0] === '7-91510100MA6C000001-veto-fund')?.fill).toBe('black');
  });

  it('heads the sheet with company, period and the deadlines', () => {
    const sheet = noticeSheet(input);
    const head = sheet.rows.slice(0, 4).map((r) => `${r.cells[0]} ${r.cells[1]}`);
    expect(head[0]).toContain('锦江物业（统一社会信用代码 91510100MA6C000001）');
    expect(head[1]).toContain('2025年上半年（2025-H1）');
    expect(head[2]).toContain('考核运行 #7，发布版，2025-07-05 发布');
    expect(head[3]).toContain('请于 2025-08-04 前完成整改');
    expect(head[3]).toContain('对评分有异议的，请于 2025-07-20 前在评分明细表中逐行填写申诉');
    // deadlines are date cells, signed as ISO dates
    const cells = signedCellsOfSheets([sheet]);
    expect(cells.find((c) => c.address === 'F8')?.value).toBe('2025-08-04');
  });

  it('says so when there is nothing to report', () => {
    const sheet = noticeSheet({ ...input, revision: 1, lines: [LINES[1]] });
    expect(sheet.findings).toBe(0);
    expect(sheet.rows.at(-1)?.cells).toEqual(['', '本期无扣分或否决事项']);
    expect(sheet.rows[2].cells[1]).toContain('第 1 次修订版');
  });
});

import { NOTE_CODES, note, type Note, type NoteCode } from '../assessment/notes.js';
import { NOTE_TEXTS, noteText, notesText } from './note-text.js';

const appeal = note('cause.appealAccepted', { appealLineId: 12 });

/** One note of every code, with the sentence it must give. */
const EXAMPLES: Record<NoteCode, [Note, string]> = {
  'project.notAssessed': [note('project.notAssessed', {}), '考核期内无满意度调查和物业费收缴数据，本期不参评（不计为 0 分，不计入企业加权平均）'],
  'project.smallSample': [
    note('project.smallSample', { respondents: 8, minimumSample: 40, wilsonZ: 1.96, wilsonBound: 0.6755843804891231, rawRate: 1 }),
    '有效问卷 8 份，少于最低样本量 40 份，满意率按威尔逊下限（z = 1.96）67.56% 计分，原始满意率为 100.00%',
  ],
  'project.noSurvey': [note('project.noSurvey', {}), '考核期内无满意度调查数据，满意度不得分'],
  'project.noFees': [note('project.noFees', {}), '考核期内无物业费收缴数据，收缴率不得分'],
  'correction.applied': [
    note('correction.applied', { line: '7-XM1-feeCollection', fact: 'feeCollectionRateByHousehold', from: 0.82, to: 0.96 }),
    '申诉更正（行号 7-XM1-feeCollection）：feeCollectionRateByHousehold 由 0.82 更正为 0.96',
  ],
  'veto.noStars': [note('veto.noStars', { rules: ['veto-a', 'veto-b'], reasons: ['挪用专项维修资金', '重大安全责任事故'] }), '一票否决（挪用专项维修资金、重大安全责任事故），不评星'],
  'veto.companyNoStars': [note('veto.companyNoStars', { rule: 'veto-serious-dishonesty', reason: '存在严重失信行为' }), '企业一票否决（存在严重失信行为），不评星'],
  'company.projectsNotAssessed': [note('company.projectsNotAssessed', { count: 2 }), '2 个项目本期不参评，未计入加权平均'],
  'company.noGradeRule': [note('company.noGradeRule', {}), '没有信用等级规则适用于该得分，请检查规则集'],
  'company.noAssessedProjects': [note('company.noAssessedProjects', {}), '无参评项目，本期不评定信用等级'],
  'company.vetoGrade': [note('company.vetoGrade', { unscored: true, reasons: ['存在严重失信行为'], grade: 'C' }), '无参评项目，但一票否决（存在严重失信行为），信用等级为 C'],
  'line.partCapped': [note('line.partCapped', { sum: 12, max: 10 }), '本项各条合计 12 分，按满分 10 分封顶'],
  'line.bonusCapped': [note('line.bonusCapped', { raw: 13, capped: 10, company: true }), '企业加分合计 13 分，按上限计 10 分'],
  'line.noBand': [note('line.noBand', {}), '未达到任何得分档次'],
  'cause.republication': [note('cause.republication', { runId: 9, previousRunId: 7 }), '重新发布（考核运行 #9 替代 #7）'],
  'cause.appealAccepted': [note('cause.appealAccepted', { appealLineId: 12 }), '申诉成立（appeal accepted；申诉行 #12）'],
  'list.entered': [note('list.entered', { reasons: ['信用等级为C', '一票否决'], cause: appeal }), '信用等级为C；一票否决（申诉成立（appeal accepted；申诉行 #12））'],
  'list.held': [note('list.held', { rule: 'black-list-veto', cause: null }), '仍符合列入条件（black-list-veto）'],
  'list.cleared': [
    note('list.cleared', { streak: 1, minEndOn: '2026-03-31', exitAfterPeriods: 2, cause: appeal }),
    '申诉成立（appeal accepted；申诉行 #12），本期不再符合列入条件（第 1 期），未满最短期限（2026-03-31）',
  ],
  'list.exited': [note('list.exited', { streak: 2, cause: null }), '连续 2 期不再符合列入条件且已满最短期限，移出'],
  'list.expired': [note('list.expired', {}), '达到最长期限，自动移出'],
  'list.withdrawn': [note('list.withdrawn', { cause: note('cause.republication', { runId: 9, previousRunId: 7 }) }), '重新发布（考核运行 #9 替代 #7），撤销本期列入'],
  'list.repaired': [note('list.repaired', { repairId: 4, reason: '已整改' }), '信用修复（credit repair）准予，提前移出：已整改（申请 #4）'],
  'ledger.event': [
    note('ledger.event', { eventNo: 'E2025-000010', projectCode: 'XM1', occurredOn: '2025-04-06', source: '市住建局', description: '未按规定维护消防设施', clause: '受到行政处罚，每次扣 5 分' }),
    'E2025-000010（项目 XM1，2025-04-06，市住建局）：未按规定维护消防设施。依据：受到行政处罚，每次扣 5 分',
  ],
  'ledger.reversal': [note('ledger.reversal', { entryId: 41, cause: appeal }), '冲销第 41 号记录：申诉成立（appeal accepted；申诉行 #12）'],
  revision: [
    note('revision', {
      revision: 2,
      subject: 'project',
      changes: [
        { level: 'project', projectCode: 'XM1', fact: 'feeCollectionRateByHousehold', from: 0.82, to: 0.96, line: '12-XM1-feeCollection' },
        { level: 'company', projectCode: null, fact: 'findings', from: 3, to: 0, line: 'l2' },
      ],
    }),
    '第 2 次修订：申诉成立（行号 12-XM1-feeCollection），“物业费收缴率（按户）”由 82.00% 更正为 96.00%；申诉成立（行号 l2），企业“违规查处次数”由 3 更正为 0',
  ],
  legacyText: [note('legacyText', { text: '考核期内无物业费收缴数据，收缴率不得分', role: 'facts' }), '考核期内无物业费收缴数据，收缴率不得分'],
};

describe('note texts', () => {
  it('has a text for every note code and a code for every text', () => {
    expect(Object.keys(NOTE_TEXTS).sort()).toEqual([...NOTE_CODES].sort());
    expect(Object.keys(EXAMPLES).sort()).toEqual([...NOTE_CODES].sort());
  });

  it.each(NOTE_CODES.map((code) => [code]))('renders %s as the sentence the sheets show', (code) => {
    const [example, text] = EXAMPLES[code];
    expect(noteText(example)).toBe(text);
  });

  it('shows a sentence stored by redprop-scoring/2 as it is', () => {
    expect(noteText('第 1 次修订：申诉成立（行号 l1），“违规查处次数”由 3 更正为 0')).toBe('第 1 次修订：申诉成立（行号 l1），“违规查处次数”由 3 更正为 0');
    expect(notesText([note('project.noFees', {}), '旧说明'], '；')).toBe('考核期内无物业费收缴数据，收缴率不得分；旧说明');
  });

  it('writes the company revision note without the project or its line', () => {
    const company = note('revision', {
      revision: 2,
      subject: 'company',
      changes: [{ level: 'project', projectCode: null, fact: 'feeCollectionRateByHousehold', from: 0.82, to: 0.96, line: null }],
    });
    expect(noteText(company)).toBe('第 2 次修订：申诉成立，所属项目“物业费收缴率（按户）”由 82.00% 更正为 96.00%（详见该项目说明）');
  });
});

import type { IndicatorLine } from './indicator-lines.js';

/** A score-sheet line for specs: a satisfaction line of project P0001 in run 7, with overrides. */
export const anIndicatorLine = (over: Partial<IndicatorLine> = {}): IndicatorLine => ({
  lineId: '7-P0001-satisfaction',
  key: 'P0001-satisfaction',
  projectCode: 'P0001',
  projectName: '锦江花园',
  section: 'satisfaction',
  sectionLabel: '满意度',
  rule: 'satisfaction-ge-90',
  clause: '满意率 ≥ 90% 且 < 95%，得 27 分',
  mainFact: 'satisfactionRate',
  mainValue: 0.93,
  factsText: '满意率（计分用） 93%',
  points: 27,
  max: 30,
  evidence: '',
  ...over,
});

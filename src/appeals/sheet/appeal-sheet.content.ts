/**
 * The appeal sheet's own content: the score sheet (评分明细) with three appeal columns the company
 * fills (the only unlocked cells of the protected sheet), and the instructions sheet (填写说明).
 * Pure.
 */
import type { IndicatorLine } from '../../reports/indicator-lines.js';
import { SCORESHEET_COLUMNS, scoresheetRow, scoresheetSpec } from '../../reports/scoresheet.content.js';
import type { CellFormat, ColumnSpec, SheetRow, SheetSpec } from '../../reports/sheet-model.js';
import { claimKind } from './claimed-value.js';
import type { MaterialSheet } from './signature.js';

export const CLAIMED_HEADER = '申诉主张值';
export const REASON_HEADER = '申诉理由';
export const EVIDENCE_HEADER = '证据材料（文件名或链接）';

/** The appeal columns, after the score sheet's own. */
export const APPEAL_COLUMNS: readonly ColumnSpec[] = [
  { header: CLAIMED_HEADER, width: 14, format: 'text' },
  { header: REASON_HEADER, width: 44, format: 'text' },
  { header: EVIDENCE_HEADER, width: 36, format: 'text' },
];

/** 0-based indexes of the appeal columns in the appeal score sheet. */
export const APPEAL_COLUMN_INDEXES: readonly number[] = APPEAL_COLUMNS.map((_, i) => SCORESHEET_COLUMNS.length + i);

export const INSTRUCTIONS_SHEET_NAME = '填写说明';

export function appealScoresheetSpec(title: string): SheetSpec {
  return { ...scoresheetSpec(title, APPEAL_COLUMNS), protection: { unlockedColumns: APPEAL_COLUMN_INDEXES } };
}

/** The format of the claimed-value cell: like the line's main fact (a rate as a percentage). */
export function claimedFormat(fact: string | null): CellFormat {
  if (fact === null) return 'text';
  switch (claimKind(fact)) {
    case 'rate':
      return 'percent';
    case 'boolean':
    case 'flag':
      return 'text';
    case 'count':
      return 'integer';
    case 'number':
      return 'decimal2';
  }
}

export function appealScoresheetRow(line: IndicatorLine): SheetRow {
  const row = scoresheetRow(line, [null, null, null]);
  return { ...row, formats: { ...row.formats, [APPEAL_COLUMN_INDEXES[0]]: claimedFormat(line.mainFact) } };
}

export interface InstructionsInput {
  title: string;
  /** last day on which an appeal is taken, `YYYY-MM-DD` */
  appealDeadline: string;
  /** 0: the published result */
  revision: number;
}

/** 填写说明: what to fill, how, until when; protected, nothing to type in. */
export function appealInstructionsSheet(input: InstructionsInput): MaterialSheet & { rows: SheetRow[] } {
  const item = (title: string, text: string): SheetRow => ({ cells: [title, text] });
  const version = input.revision === 0 ? '考核结果发布版' : `考核结果第 ${input.revision} 次修订版`;
  return {
    spec: {
      name: INSTRUCTIONS_SHEET_NAME,
      title: input.title,
      columns: [
        { header: '事项', width: 16, format: 'text' },
        { header: '说明', width: 110, format: 'text' },
      ],
      protection: { unlockedColumns: [] },
    },
    rows: [
      item('填写位置', `只在“评分明细”工作表右侧的黄色列（${CLAIMED_HEADER}、${REASON_HEADER}、${EVIDENCE_HEADER}）中填写；其他单元格已锁定，请勿改动。`),
      item('一行一项', '每项异议填在所针对的指标行（以“行号”为准），一行只对一个指标提出申诉；不申诉的行保持空白。'),
      item(REASON_HEADER, '必填：写明评分或数据有误的原因。未填写理由的申诉行不予受理（整份文件退回）。'),
      item(
        CLAIMED_HEADER,
        '您认为正确的指标值，只对评分依据有异议时可不填。比率填百分比（如 96% 或 0.96）；“是否”类填“是”或“否”；次数、月数填不小于 0 的整数（如 0、3）；其他数值填数字。',
      ),
      item('证据材料', '填写证据文件的名称或链接（如“收费台账.xlsx”“https://…”），证据文件请另行报送所在街道，不要插入本表。'),
      item('申诉期限', `${input.appealDeadline}（含当日）前提交，逾期不予受理。`),
      item('再次提交', '审核开始前可重新提交本表，同一行以最后一次提交为准；被驳回的行可提供新的证据材料再申诉一次。'),
      item(
        '改动检查',
        '本表带有数字签名：申诉列以外的任何改动（修改数值或文字、排序、插入或删除行列、改工作表）都会被发现，整份文件将被退回并列出改动的单元格。',
      ),
      item('保存格式', '可用 Excel、WPS 或 LibreOffice 填写；请保存为 Excel 工作簿（.xlsx），不要另存为 .xls、.et、.ods 或 .csv，不要设置打开密码。'),
      item('版本', `本表对应${version}；结果修订后请重新下载评分表再申诉。`),
    ],
  };
}

import ExcelJS from 'exceljs';
import { INSTRUCTIONS_SHEET, LISTS_SHEET, type CellType, type CodeListName, type ColumnSpec, type FamilySpec } from './families.js';
import { formatBytes } from './import-errors.js';
import type { ImportLimits } from './spreadsheet-file.js';

export interface TemplateInput {
  readonly family: FamilySpec;
  /** stored codes offered as drop-downs; an empty list gives no drop-down */
  readonly codeLists: Readonly<Record<CodeListName, readonly string[]>>;
  readonly timeZone: string;
  readonly limits: ImportLimits;
}

const CODE_LIST_LABELS: Record<CodeListName, string> = {
  streets: '街道编码',
  communities: '社区编码',
  companies: '统一社会信用代码',
  projects: '项目编码',
};

const REQUIRED_FILL = 'FFFCE4D6';
const OPTIONAL_FILL = 'FFEDEDED';
const thin = { style: 'thin' as const, color: { argb: 'FFBFBFBF' } };

/** The number format a column's cells carry, so that Excel keeps what is typed. */
export function numberFormatOf(type: CellType): string | undefined {
  switch (type.kind) {
    case 'text':
    case 'code':
    case 'uscc':
    case 'month':
    case 'period':
      return '@';
    case 'integer':
      return type.flags ? undefined : '0';
    case 'decimal':
      return type.decimals === 2 ? '0.00' : `0.${'0'.repeat(type.decimals)}`;
    case 'date':
      return 'yyyy-mm-dd';
    case 'datetime':
      return 'yyyy-mm-dd hh:mm';
    default:
      return undefined;
  }
}

export function zoneDescription(timeZone: string): string {
  return timeZone === 'Asia/Shanghai' ? '北京时间（UTC+8）' : `时区 ${timeZone}`;
}

/** What the 说明 sheet says a column must hold. */
export function formatDescription(type: CellType, timeZone: string): string {
  const range = (t: { min?: number; max?: number }) =>
    t.min !== undefined && t.max !== undefined ? `，${t.min} 至 ${t.max}` : t.min !== undefined ? `，不小于 ${t.min}` : '';
  switch (type.kind) {
    case 'text':
      return '文本';
    case 'code':
      return '编码（字母、数字、下划线或连字符，最长 40 位）；单元格为文本格式';
    case 'uscc':
      return '18 位统一社会信用代码；单元格为文本格式';
    case 'integer':
      return `整数${range(type)}`;
    case 'decimal':
      return `数字，最多 ${type.decimals} 位小数${range(type)}`;
    case 'month':
      return '年月，写作 YYYY-MM（如 2025-07）';
    case 'period':
      return type.yearOnly ? '年度，写作 YYYY（如 2025）' : '考核周期：年 2025、半年 2025-H1、季度 2025-Q3 或月 2025-07';
    case 'date':
      return '日期，写作 YYYY-MM-DD（如 2025-05-12）';
    case 'datetime':
      return `日期时间，写作 YYYY-MM-DD HH:MM（如 2025-03-04 09:30），${zoneDescription(timeZone)}`;
    case 'flag':
      return '是 / 否（下拉选择）';
    case 'choice':
      return '下拉选择';
  }
}

/**
 * Writes an import template: an instructions sheet, one sheet per record kind of the family
 * with Chinese headers, formats, drop-downs and a frozen header row, and a hidden sheet
 * holding the lists. Small (no data), so written in memory.
 */
export async function writeTemplateWorkbook(path: string, input: TemplateInput): Promise<void> {
  const { family, codeLists, timeZone, limits } = input;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'redprop';

  const instructions = workbook.addWorksheet(INSTRUCTIONS_SHEET);
  const dataSheets = family.sheets.map((spec) =>
    workbook.addWorksheet(spec.sheet, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }] }),
  );
  const lists = workbook.addWorksheet(LISTS_SHEET, { state: 'hidden' });

  // lists on the hidden sheet, one column each, referenced by absolute ranges
  const listRanges = new Map<string, string>();
  const listRange = (title: string, values: readonly string[]): string => {
    const known = listRanges.get(title);
    if (known) return known;
    const column = listRanges.size + 1;
    lists.getCell(1, column).value = title;
    values.forEach((value, i) => {
      lists.getCell(i + 2, column).value = value;
    });
    const letter = lists.getColumn(column).letter;
    const range = `'${LISTS_SHEET}'!$${letter}$2:$${letter}$${values.length + 1}`;
    listRanges.set(title, range);
    return range;
  };

  family.sheets.forEach((spec, s) => {
    const sheet = dataSheets[s];
    sheet.columns = spec.columns.map((column) => {
      const numFmt = numberFormatOf(column.type);
      return { key: column.field, width: column.width, ...(numFmt ? { style: { numFmt } } : {}) };
    });
    const header = sheet.getRow(1);
    spec.columns.forEach((column, i) => {
      const cell = header.getCell(i + 1);
      cell.value = column.header;
      cell.numFmt = 'General';
      cell.font = { bold: true };
      cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: column.required ? REQUIRED_FILL : OPTIONAL_FILL } };
      cell.border = { top: thin, left: thin, bottom: thin, right: thin };
    });
    header.height = 30;
    spec.columns.forEach((column, i) => {
      const letter = sheet.getColumn(i + 1).letter;
      const validation = validationOf(column, codeLists, listRange);
      if (validation) validationsOf(sheet).add(`${letter}2:${letter}${spec.templateRows + 1}`, validation);
    });
  });

  writeInstructions(instructions, family, codeLists, timeZone, limits);
  // open on the first data sheet; the instructions stay the first tab
  workbook.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 1, visibility: 'visible' }];
  await workbook.xlsx.writeFile(path);
}

/** exceljs keeps range validations (`A2:A10001`) as one entry; its typings do not show the collection. */
function validationsOf(sheet: ExcelJS.Worksheet): { add(range: string, validation: ExcelJS.DataValidation): void } {
  return (sheet as unknown as { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void } }).dataValidations;
}

function validationOf(
  column: ColumnSpec,
  codeLists: Readonly<Record<CodeListName, readonly string[]>>,
  listRange: (title: string, values: readonly string[]) => string,
): ExcelJS.DataValidation | undefined {
  const type = column.type;
  const stop = { showErrorMessage: true, errorStyle: 'stop', errorTitle: '输入有误' } as const;
  if (type.kind === 'choice') {
    return {
      type: 'list',
      allowBlank: true,
      formulae: [listRange(column.header, Object.values(type.options))],
      ...stop,
      error: `请从下拉列表中选择${column.header}`,
    };
  }
  if (type.kind === 'flag') return { type: 'list', allowBlank: true, formulae: ['"是,否"'], ...stop, error: '请选择“是”或“否”' };
  if (column.codeList) {
    const codes = codeLists[column.codeList];
    if (codes.length === 0) return undefined;
    return {
      type: 'list',
      allowBlank: true,
      formulae: [listRange(CODE_LIST_LABELS[column.codeList], codes)],
      showErrorMessage: true,
      errorStyle: 'warning',
      errorTitle: '编码未登记',
      error: `该${CODE_LIST_LABELS[column.codeList]}尚未登记；若已在本文件或基础信息中新增，可以继续`,
    };
  }
  if ((type.kind === 'integer' && !type.flags) || type.kind === 'decimal') {
    if (type.min === undefined) return undefined;
    const kind = type.kind === 'integer' ? 'whole' : 'decimal';
    const between = type.max !== undefined;
    return {
      type: kind,
      allowBlank: true,
      operator: between ? 'between' : 'greaterThanOrEqual',
      formulae: between ? [type.min, type.max] : [type.min],
      ...stop,
      error: `${column.header}应为${type.kind === 'integer' ? '整数' : '数字'}${between ? `（${type.min} 至 ${type.max}）` : `（不小于 ${type.min}）`}`,
    };
  }
  return undefined;
}

function writeInstructions(
  sheet: ExcelJS.Worksheet,
  family: FamilySpec,
  codeLists: Readonly<Record<CodeListName, readonly string[]>>,
  timeZone: string,
  limits: ImportLimits,
): void {
  sheet.columns = [{ width: 16 }, { width: 28 }, { width: 8 }, { width: 44 }, { width: 80 }];
  const title = sheet.addRow([`红色物业考核数据导入模板：${family.label}`]);
  title.font = { bold: true, size: 14 };
  const notes = [
    `本模板包含工作表：${family.sheets.map((s) => s.sheet).join('、')}。工作表名称和表头文字请勿修改；列的顺序可以调整，模板以外的列不导入。`,
    '第一行为表头（橙色为必填列，灰色为选填列），从第二行起每行一条记录，空行会被跳过。',
    '带下拉箭头的列请从下拉列表中选择；也可以填写对应的英文代码。',
    `日期写作 YYYY-MM-DD，日期时间写作 YYYY-MM-DD HH:MM，均按${zoneDescription(timeZone)}填写。`,
    '请不要在数据单元格中使用公式：含公式的单元格按其计算结果读取，没有计算结果的会被拒绝（请“选择性粘贴 → 数值”）。',
    `单个文件不超过 ${formatBytes(limits.maxBytes)}、${limits.maxRows.toLocaleString('en')} 行数据；含宏（.xlsm）或外部链接的文件会被拒绝。`,
    '同一条记录（按编码、月份等关键字段识别）再次导入会更新原记录，不会重复计入。',
    '导入命令：redprop import 文件.xlsx（先检查不写入：加 --dry-run）。只要有一处错误就不写入任何数据，并生成“错误说明”工作簿：原样列出各行，错误单元格标红，末列写明错误；改正后可直接导入该工作簿。',
    '也可以导入 CSV 文件（UTF-8 或 GBK 编码），表头与本模板相同；无法从表头识别时用 --family 指定类别。',
  ];
  notes.forEach((note, i) => {
    const row = sheet.addRow([`${i + 1}.`, note]);
    sheet.mergeCells(row.number, 2, row.number, 5);
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    row.height = note.length > 70 ? 32 : 18;
  });
  sheet.addRow([]);
  const header = sheet.addRow(['工作表', '列名', '必填', '格式', '可选值与说明']);
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: OPTIONAL_FILL } };
    cell.border = { top: thin, left: thin, bottom: thin, right: thin };
  });
  for (const spec of family.sheets) {
    for (const column of spec.columns) {
      const details: string[] = [];
      if (column.type.kind === 'choice') {
        details.push(`可选：${Object.values(column.type.options).join('、')}（也可填代码：${Object.keys(column.type.options).join('、')}）`);
      }
      if (column.codeList) {
        const n = codeLists[column.codeList].length;
        details.push(
          n > 0
            ? `下拉列表为已登记的${CODE_LIST_LABELS[column.codeList]}（${n} 个）`
            : `须为已登记的${CODE_LIST_LABELS[column.codeList]}（目前尚无，请先导入基础信息）`,
        );
      }
      if (column.note) details.push(column.note);
      const row = sheet.addRow([spec.sheet, column.header, column.required ? '是' : '否', formatDescription(column.type, timeZone), details.join('；')]);
      row.eachCell({ includeEmpty: true }, (cell) => {
        cell.alignment = { wrapText: true, vertical: 'top' };
        cell.border = { top: thin, left: thin, bottom: thin, right: thin };
      });
    }
  }
  sheet.views = [{ state: 'normal', showGridLines: false }];
}

import { badInput, DomainError } from '../../domain/errors.js';
import { describeFault, type ImportFault } from './import-faults.js';

/** The coded refusals of a spreadsheet import or template request. */
export const importErrors = {
  notFound: (file: string) => badInput('IMPORT_FILE_NOT_FOUND', `file not found: ${file}`, `找不到文件：${file}`),
  fileType: (file: string, extension: string) =>
    badInput(
      'IMPORT_FILE_TYPE',
      `unsupported file type "${extension}": ${file}`,
      extension === '.xls' || extension === '.et'
        ? `不支持旧版 Excel 格式（${extension}）：请在 Excel 或 WPS 中“另存为”.xlsx 后再导入`
        : `不支持的文件类型“${extension}”：只能导入 .xlsx 或 .csv 文件`,
    ),
  macros: (file: string, part?: string) =>
    badInput(
      'IMPORT_MACROS_REFUSED',
      `workbook contains macros${part ? ` (${part})` : ' (VBA)'}: ${file}`,
      `文件含有宏${part ? `（部件 ${part}）` : '（VBA）'}，为安全起见拒绝导入：请另存为不含宏的 .xlsx 文件（Excel 工作簿）后再导入`,
      part ? [part] : [],
    ),
  activeContent: (file: string, part: string) =>
    badInput(
      'IMPORT_ACTIVE_CONTENT_REFUSED',
      `workbook contains ActiveX controls or embedded objects (${part}): ${file}`,
      `文件含有控件或嵌入对象（部件 ${part}），为安全起见拒绝导入：请删除其中的控件、嵌入的文档或对象后另存为 .xlsx 再导入`,
      [part],
    ),
  externalLinks: (file: string, part?: string) =>
    badInput(
      'IMPORT_EXTERNAL_LINKS_REFUSED',
      `workbook links to content outside it${part ? ` (${part})` : ''}: ${file}`,
      `文件含有指向文件以外内容的外部链接${part ? `（部件 ${part}）` : ''}，为安全起见拒绝导入：请在 Excel“数据 → 编辑链接”中断开链接（或把数据粘贴为数值）后再导入`,
      part ? [part] : [],
    ),
  tooLarge: (file: string, bytes: number, maxBytes: number) =>
    badInput(
      'IMPORT_FILE_TOO_LARGE',
      `file is ${bytes} bytes, more than the ${maxBytes} allowed: ${file}`,
      `文件过大（${formatBytes(bytes)}），单个文件不能超过 ${formatBytes(maxBytes)}：请按街道或月份拆分后分别导入`,
    ),
  unpacksTooLarge: (file: string, bytes: number, maxBytes: number, part?: string) =>
    badInput(
      'IMPORT_FILE_TOO_LARGE',
      `workbook unpacks to more than the ${maxBytes} bytes allowed${part ? ` (stopped in ${part} at ${bytes} bytes)` : ` (${bytes} bytes)`}: ${file}`,
      `工作簿解压后过大（${part ? `部件 ${part} 处已超过` : ''}上限 ${formatBytes(maxBytes)}）：请拆分后分别导入`,
      part ? [part] : [],
    ),
  tooManyRows: (file: string, maxRows: number) =>
    badInput(
      'IMPORT_TOO_MANY_ROWS',
      `more than ${maxRows} data rows: ${file}`,
      `数据行过多：单个文件最多 ${maxRows.toLocaleString('en')} 行数据，请按街道或月份拆分后分别导入`,
    ),
  unreadable: (file: string, reason: string) =>
    badInput('IMPORT_FILE_UNREADABLE', `cannot read ${file} as a workbook: ${reason}`, `无法读取文件（不是有效的 .xlsx 工作簿，或已加密）：${file}`),
  corrupt: (file: string, reason: string, part?: string) =>
    badInput(
      'IMPORT_FILE_UNREADABLE',
      `cannot read ${file}${part ? ` (part ${part})` : ''}: ${reason}`,
      `文件“${file}”已损坏或不完整${part ? `（部件 ${part}）` : ''}，无法完整读取，未导入任何数据：请在 Excel 或 WPS 中打开后重新保存为 .xlsx 再导入`,
      [reason],
    ),
  encrypted: (file: string) =>
    badInput(
      'IMPORT_FILE_ENCRYPTED',
      `workbook is encrypted or not in the xlsx format: ${file}`,
      `文件已加密或不是 .xlsx 格式：请取消密码保护并另存为 .xlsx 后再导入`,
    ),
  familyUnknown: (file: string, families: readonly string[]) =>
    badInput(
      'IMPORT_FAMILY_UNKNOWN',
      `cannot tell what ${file} holds from its header row; give --family (${families.join(', ')})`,
      `无法从表头识别文件“${file}”的数据类别：请使用导入模板的表头，或用 --family 指定（${families.join('、')}）`,
    ),
  noData: (file: string) =>
    badInput('IMPORT_NO_DATA', `no data rows found in ${file}`, `文件“${file}”中没有可导入的数据行（工作表名称与表头须与导入模板一致）`),
  familyInvalid: (family: string, families: readonly string[]) =>
    badInput('FAMILY_UNKNOWN', `unknown family "${family}"; one of ${families.join(', ')}`, `未知的数据类别“${family}”，可选：${families.join('、')}`),
  templateOut: (out: string) =>
    badInput('TEMPLATE_OUT_INVALID', `the template must be written to an .xlsx file, got ${out}`, `模板须保存为 .xlsx 文件：${out}`),
};

const SHOWN_FAULTS = 20;

/** An import found faults: nothing was written, and the error workbook says what to fix. */
export class ImportRejectedError extends DomainError {
  constructor(
    readonly file: string,
    readonly errorWorkbook: string,
    readonly totalFaults: number,
    readonly firstFaults: readonly ImportFault[],
  ) {
    const lines = [`错误说明工作簿：${errorWorkbook}`, ...firstFaults.slice(0, SHOWN_FAULTS).map(describeFault)];
    if (totalFaults > Math.min(firstFaults.length, SHOWN_FAULTS)) lines.push(`…… 共 ${totalFaults} 处错误，全部列在错误说明工作簿中`);
    super(
      'IMPORT_REJECTED',
      `import of ${file} rejected: ${totalFaults} fault(s), nothing was written; see ${errorWorkbook}`,
      `“${file}”导入未通过：共 ${totalFaults} 处错误，未写入任何数据。请按错误说明工作簿修改后重新导入`,
      lines,
    );
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KB`;
  return `${bytes} 字节`;
}

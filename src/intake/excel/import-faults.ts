/**
 * Faults found in an import file, by sheet and row, kept for the error workbook and the
 * summary. Pure.
 */
export interface ImportFault {
  /** the import file's base name */
  readonly file: string;
  /** the sheet as named in the file (for a CSV: the sheet the family's template uses) */
  readonly sheet: string;
  /** 1-based row; absent for a fault of the whole sheet or file */
  readonly row?: number;
  /** the record field, when the fault is about one cell */
  readonly field?: string;
  /** the column header shown to the user */
  readonly column?: string;
  readonly code: string;
  readonly message: string;
}

export interface FaultCodeCount {
  readonly code: string;
  readonly count: number;
  /** the message of its first occurrence */
  readonly example: string;
}

export const FIRST_FAULTS_KEPT = 200;
/** Beyond this the error workbook lists no more faults per row (the summary still counts them). */
export const MAX_FAULTS_KEPT = 200_000;

export class FaultBook {
  total = 0;
  readonly first: ImportFault[] = [];
  private readonly codes = new Map<string, { count: number; example: string }>();
  private readonly rows = new Map<string, Map<number, ImportFault[]>>();
  private readonly sheetLevel: ImportFault[] = [];
  private kept = 0;

  get none(): boolean {
    return this.total === 0;
  }

  /** Faults were found that are not all listed by row. */
  get truncated(): boolean {
    return this.kept < this.total;
  }

  add(fault: ImportFault): void {
    this.total++;
    if (this.first.length < FIRST_FAULTS_KEPT) this.first.push(fault);
    const code = this.codes.get(fault.code);
    if (code) code.count++;
    else this.codes.set(fault.code, { count: 1, example: fault.message });
    if (fault.row === undefined) {
      this.sheetLevel.push(fault);
      return;
    }
    if (this.kept >= MAX_FAULTS_KEPT) return;
    this.kept++;
    let sheet = this.rows.get(fault.sheet);
    if (!sheet) this.rows.set(fault.sheet, (sheet = new Map<number, ImportFault[]>()));
    const list = sheet.get(fault.row);
    if (list) list.push(fault);
    else sheet.set(fault.row, [fault]);
  }

  rowFaults(sheet: string, row: number): readonly ImportFault[] {
    return this.rows.get(sheet)?.get(row) ?? [];
  }

  /** Faults of whole sheets or of the file (no row). */
  sheetFaults(): readonly ImportFault[] {
    return this.sheetLevel;
  }

  countsByCode(): FaultCodeCount[] {
    return [...this.codes].map(([code, c]) => ({ code, count: c.count, example: c.example })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  }
}

/** One line for a terminal or a summary: `工作表 物业费收缴 第 3 行 · 实收金额（元）：… [CODE]`. */
export function describeFault(fault: ImportFault): string {
  const where = [`工作表 ${fault.sheet}`];
  if (fault.row !== undefined) where.push(`第 ${fault.row} 行`);
  const column = fault.column ? ` · ${fault.column}` : '';
  return `${where.join(' ')}${column}：${fault.message} [${fault.code}]`;
}

/** The text of a row's 错误说明 cell. */
export function describeRowFaults(faults: readonly ImportFault[]): string {
  return faults.map((f) => `${f.column ? `【${f.column}】` : ''}${f.message}（${f.code}）`).join('\n');
}

import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { FAMILIES, type FamilyName, type SheetSpec } from '../../src/intake/excel/families.js';
import type { TemplateService } from '../../src/intake/excel/template.service.js';

const CHINA_MS = 8 * 3600 * 1000;

export const familySheet = (family: FamilyName, index = 0): SheetSpec => FAMILIES[family].sheets[index];

/** A record as a person types it into the template: Chinese labels, 是/否, local times. */
export function rowOf(spec: SheetSpec, record: object): unknown[] {
  const r = record as Record<string, unknown>;
  return spec.columns.map((column) => {
    const value = r[column.field];
    if (value === null || value === undefined) return null;
    switch (column.type.kind) {
      case 'choice':
        return column.type.options[value as string];
      case 'flag':
        return value ? '是' : '否';
      case 'datetime':
        return new Date((value as Date).getTime() + CHINA_MS);
      default:
        return value;
    }
  });
}

/** Writes the family's template, fills rows into its sheets with exceljs and saves it in `dir` as `name`. */
export async function filledTemplate(
  templates: TemplateService,
  dir: string,
  family: FamilyName,
  name: string,
  rows: Record<string, unknown[][]>,
): Promise<string> {
  const template = join(dir, `${family}-template.xlsx`);
  await templates.writeTemplate(family, template);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(template);
  for (const [sheetName, values] of Object.entries(rows)) {
    const sheet = workbook.getWorksheet(sheetName)!;
    values.forEach((row, i) => {
      row.forEach((value, c) => {
        if (value !== null) sheet.getCell(i + 2, c + 1).value = value as ExcelJS.CellValue;
      });
    });
  }
  const path = join(dir, name);
  await workbook.xlsx.writeFile(path);
  return path;
}

/** The data rows (below title and header) of a report sheet, as exceljs reads them; with `withHeader`, the header row first. */
export async function reportRows(path: string, sheet: string, withHeader = false): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const rows: unknown[][] = [];
  workbook.getWorksheet(sheet)!.eachRow((row, n) => {
    if (n > 2 || (withHeader && n === 2)) rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}

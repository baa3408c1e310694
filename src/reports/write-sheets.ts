import type { ReportSheet } from './sheet-model.js';
import { XlsxReportWriter } from './xlsx-writer.js';

/** Writes whole sheets to one workbook file; on failure nothing is left at `path`. */
export async function writeSheets(path: string, sheets: readonly ReportSheet[]): Promise<string> {
  const writer = XlsxReportWriter.open(path);
  try {
    for (const sheet of sheets) await writer.addSheet(sheet.spec, sheet.rows);
    return await writer.close();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

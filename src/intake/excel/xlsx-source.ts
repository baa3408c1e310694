import { DomainError } from '../../domain/errors.js';
import { importErrors } from './import-errors.js';
import type { SourceRow, SourceSheet, TabularFile } from './sheet-scan.js';
import { XlsxFormatError, XlsxPackage, type XlsxLimits } from './xlsx/xlsx-package.js';
import { XmlPartError } from './xlsx/xml-part.js';
import { ZipReadError } from './xlsx/zip-archive.js';

/**
 * A workbook as sheets of rows, read with the project's own package reader (xlsx/): rows are
 * parsed as their part inflates, never the whole workbook in memory, and every byte of text is
 * kept. Each call of `sheets()` opens the file again.
 */
export function xlsxFile(path: string, fileName: string, limits: XlsxLimits): TabularFile {
  return {
    fileName,
    format: 'xlsx',
    async *sheets(): AsyncGenerator<SourceSheet> {
      const pkg = await refusing(fileName, () => XlsxPackage.open(path, limits));
      try {
        for (const sheet of await refusing(fileName, () => pkg.sheets())) {
          yield { name: sheet.name, hidden: sheet.hidden, rows: () => refusingRows(fileName, pkg.rows(sheet)) };
        }
      } finally {
        pkg.close();
      }
    },
  };
}

async function* refusingRows(fileName: string, rows: AsyncGenerator<SourceRow>): AsyncGenerator<SourceRow> {
  while (true) {
    const next = await refusing(fileName, () => rows.next());
    if (next.done) return;
    yield next.value;
  }
}

async function refusing<T>(fileName: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw asImportError(fileName, error);
  }
}

/** A reader's fault as the import's coded refusal, naming the part at fault. */
export function asImportError(fileName: string, error: unknown): unknown {
  if (error instanceof DomainError) return error;
  if (error instanceof ZipReadError && error.overBudget)
    return importErrors.unpacksTooLarge(fileName, error.overBudget.bytes, error.overBudget.limit, error.part);
  if (error instanceof ZipReadError || error instanceof XmlPartError || error instanceof XlsxFormatError) {
    return importErrors.corrupt(fileName, error.message, error.part ?? undefined);
  }
  return error;
}

import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import { DomainError } from '../../domain/errors.js';
import type { CellInput, CellScalar } from './cells.js';
import { importErrors } from './import-errors.js';
import type { SourceRow, SourceSheet, TabularFile } from './sheet-scan.js';
import type { ZipDirectory } from './zip-directory.js';

interface StreamedWorksheet extends AsyncIterable<ExcelJS.Row> {
  readonly name: string;
  readonly state?: string;
}

/**
 * A workbook read with exceljs's streaming reader: rows are parsed as they are unzipped,
 * never the whole workbook in memory. Styles are read so that date cells come as dates.
 */
export function xlsxFile(path: string, fileName: string, directory: ZipDirectory): TabularFile {
  return {
    fileName,
    format: 'xlsx',
    async *sheets(): AsyncGenerator<SourceSheet> {
      const input = partsInReadingOrder(path, directory);
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
        worksheets: 'emit',
        sharedStrings: 'cache',
        hyperlinks: 'ignore',
        styles: 'cache',
        entries: 'ignore',
      });
      const worksheets = reader[Symbol.asyncIterator]();
      try {
        while (true) {
          let next: IteratorResult<ExcelJS.stream.xlsx.WorksheetReader>;
          try {
            next = await worksheets.next();
          } catch (error) {
            throw asUnreadable(fileName, error);
          }
          if (next.done) break;
          const worksheet = next.value as unknown as StreamedWorksheet;
          yield {
            name: worksheet.name,
            hidden: worksheet.state === 'hidden' || worksheet.state === 'veryHidden',
            rows: () => rowsOf(worksheet, fileName),
          };
        }
      } finally {
        input.destroy();
      }
    },
  };
}

async function* rowsOf(worksheet: StreamedWorksheet, fileName: string): AsyncGenerator<SourceRow> {
  const rows = worksheet[Symbol.asyncIterator]();
  while (true) {
    let next: IteratorResult<ExcelJS.Row>;
    try {
      next = await rows.next();
    } catch (error) {
      throw asUnreadable(fileName, error);
    }
    if (next.done) return;
    yield { number: next.value.number, cells: cellsOf(next.value) };
  }
}

function asUnreadable(fileName: string, error: unknown): unknown {
  if (error instanceof DomainError) return error;
  return importErrors.unreadable(fileName, error instanceof Error ? error.message : String(error));
}

function cellsOf(row: ExcelJS.Row): CellInput[] {
  const values = row.values as unknown[];
  const cells: CellInput[] = [];
  for (let i = 1; i < values.length; i++) cells.push(toCellInput(values[i]));
  return cells;
}

/** exceljs cell values (rich text, hyperlinks, formulas, errors) as plain cell inputs. */
export function toCellInput(value: unknown): CellInput {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if ('formula' in v || 'sharedFormula' in v) {
    const result = v.result;
    const scalar: CellScalar | null =
      typeof result === 'string' || typeof result === 'number' || typeof result === 'boolean' || result instanceof Date ? result : null;
    return { formula: String(v.formula ?? v.sharedFormula ?? ''), result: scalar };
  }
  if ('error' in v) return { error: String(v.error) };
  if (Array.isArray(v.richText)) return (v.richText as { text?: string }[]).map((r) => r.text ?? '').join('');
  if ('text' in v) return toCellInput(v.text);
  return null;
}

/** Parts the streaming reader must have seen before any worksheet, in this order. */
const LEADING_PARTS = ['[content_types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedstrings.xml', 'xl/styles.xml'];
const SHARED_STRINGS = 'xl/sharedstrings.xml';

/**
 * The workbook's zip entries, byte for byte, re-ordered so that the workbook, its
 * relationships, the shared strings and the styles come before the worksheets.
 *
 * exceljs 4.4's streaming reader parses a worksheet at once only when it has already seen
 * those parts; otherwise it parks the worksheet in a temporary file, and with six or more
 * parked worksheets it loses zip entries (the workbook part among them) and fails with
 * "Cannot read properties of undefined (reading 'sheets')". Excel, WPS and exceljs itself
 * write the worksheets before some of those parts. A workbook without shared strings (all
 * strings inline) gets an empty shared-strings part, for the same reason. The central
 * directory follows the entries as in the file: without it the reader fails at the end.
 */
function partsInReadingOrder(path: string, directory: ZipDirectory): Readable {
  const byOffset = [...directory.entries].sort((a, b) => a.offset - b.offset);
  const ranges = byOffset.map((entry, i) => ({
    name: entry.name.toLowerCase(),
    start: entry.offset,
    end: i + 1 < byOffset.length ? byOffset[i + 1]!.offset : directory.directoryOffset,
  }));
  const rank = (name: string) => {
    const i = LEADING_PARTS.indexOf(name);
    return i < 0 ? LEADING_PARTS.length : i;
  };
  ranges.sort((a, b) => rank(a.name) - rank(b.name) || a.start - b.start);
  const hasSharedStrings = ranges.some((r) => r.name === SHARED_STRINGS);
  return Readable.from(
    (async function* () {
      for (const range of ranges) {
        if (range.end <= range.start) continue;
        yield* createReadStream(path, { start: range.start, end: range.end - 1 });
        if (!hasSharedStrings && range.name === 'xl/_rels/workbook.xml.rels') yield emptySharedStringsEntry();
      }
      // the central directory (its offsets no longer match, but the reader only needs to see it to stop)
      yield* createReadStream(path, { start: directory.directoryOffset });
    })(),
  );
}

function emptySharedStringsEntry(): Buffer {
  const name = Buffer.from('xl/sharedStrings.xml');
  const data = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>',
  );
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0); // local file header
  header.writeUInt16LE(20, 4); // version needed
  header.writeUInt16LE(0, 6); // flags
  header.writeUInt16LE(0, 8); // stored
  header.writeUInt16LE(0, 10); // time
  header.writeUInt16LE(0x21, 12); // 1980-01-01
  header.writeUInt32LE(crc32(data), 14);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(data.length, 22);
  header.writeUInt16LE(name.length, 26);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, name, data]);
}

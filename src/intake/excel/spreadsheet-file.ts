import { open, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { csvFile, detectCsvEncoding } from './csv-source.js';
import { importErrors } from './import-errors.js';
import type { TabularFile } from './sheet-scan.js';
import { asImportError, xlsxFile } from './xlsx-source.js';
import { firstFinding } from './xlsx/package-inspection.js';
import { ZipArchive } from './xlsx/zip-archive.js';

/** Caps of one import: a file past them is refused before, or as soon as, its bytes show it. */
export interface ImportLimits {
  /** size of the file as uploaded */
  readonly maxBytes: number;
  /** data rows over all sheets */
  readonly maxRows: number;
  /** what a workbook unpacks to, counted on the bytes actually inflated (a zip bomb is small) */
  readonly maxUnpackedBytes: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxBytes: 50 * 1024 * 1024,
  maxRows: 500_000,
  maxUnpackedBytes: 1024 * 1024 * 1024,
};

const MACRO_EXTENSIONS = new Set(['.xlsm', '.xltm', '.xlam']);
const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/**
 * Opens an import file after the safety checks: type by extension, size, and for a
 * workbook its zip directory (no macros, no external links, a sane unpacked size). A
 * formula is never evaluated anywhere: readers only see cached results.
 */
export async function openSpreadsheet(path: string, limits: ImportLimits): Promise<TabularFile> {
  const fileName = basename(path);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw importErrors.notFound(path);
  const extension = extname(fileName).toLowerCase();
  if (MACRO_EXTENSIONS.has(extension)) throw importErrors.macros(fileName);
  if (extension !== '.xlsx' && extension !== '.csv') throw importErrors.fileType(fileName, extension || '（无扩展名）');
  if (info.size > limits.maxBytes) throw importErrors.tooLarge(fileName, info.size, limits.maxBytes);

  if (extension === '.csv') return csvFile(path, fileName, await detectCsvEncoding(path));
  await checkWorkbookContent(path, fileName, limits);
  return xlsxFile(path, fileName, unpackBudget(limits));
}

/**
 * The safety checks of an .xlsx file before anything reads it (used by the appeal sheet too):
 * an existing file, the .xlsx extension (macro-enabled types refused as macros), the size, the
 * zip directory (not encrypted, a sane declared unpacked size), and the package's content types
 * and relationships (no macros of any kind, no ActiveX or OLE objects, nothing linked from outside).
 */
export async function checkXlsxFile(path: string, limits: Pick<ImportLimits, 'maxBytes' | 'maxUnpackedBytes'>): Promise<{ fileName: string }> {
  const fileName = basename(path);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw importErrors.notFound(path);
  const extension = extname(fileName).toLowerCase();
  if (MACRO_EXTENSIONS.has(extension)) throw importErrors.macros(fileName);
  if (extension !== '.xlsx') throw importErrors.fileType(fileName, extension || '（无扩展名）');
  if (info.size > limits.maxBytes) throw importErrors.tooLarge(fileName, info.size, limits.maxBytes);
  await checkWorkbookContent(path, fileName, limits);
  return { fileName };
}

/** The inflation budget of a workbook import: the whole file, and any one part, at most `maxUnpackedBytes`. */
function unpackBudget(limits: Pick<ImportLimits, 'maxUnpackedBytes'>) {
  return { maxPartBytes: limits.maxUnpackedBytes, maxTotalBytes: limits.maxUnpackedBytes };
}

async function checkWorkbookContent(path: string, fileName: string, limits: Pick<ImportLimits, 'maxUnpackedBytes'>): Promise<void> {
  const head = Buffer.alloc(4);
  const handle = await open(path, 'r');
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (head.equals(CFB_MAGIC)) throw importErrors.encrypted(fileName);
  let archive: ZipArchive;
  try {
    archive = await ZipArchive.open(path, unpackBudget(limits));
  } catch (error) {
    throw asImportError(fileName, error);
  }
  try {
    if (!archive.part('[Content_Types].xml')) throw importErrors.unreadable(fileName, 'no [Content_Types].xml: not an Office Open XML package');
    const unpacked = archive.declaredTotal();
    if (unpacked > limits.maxUnpackedBytes) throw importErrors.unpacksTooLarge(fileName, unpacked, limits.maxUnpackedBytes);
    const finding = await firstFinding(archive).catch((error: unknown) => {
      throw asImportError(fileName, error);
    });
    if (finding?.kind === 'macros') throw importErrors.macros(fileName, finding.part);
    if (finding?.kind === 'active-content') throw importErrors.activeContent(fileName, finding.part);
    if (finding?.kind === 'external') throw importErrors.externalLinks(fileName, finding.part);
  } finally {
    archive.close();
  }
}

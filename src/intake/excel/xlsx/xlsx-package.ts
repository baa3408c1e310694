import { posix } from 'node:path';
import { isDateFormat } from './number-formats.js';
import { decodeXstring, parseXmlPart, type XmlHandlers } from './xml-part.js';
import { ZipArchive, type UnpackBudget } from './zip-archive.js';

/**
 * A SpreadsheetML package (.xlsx) read the way ECMA-376 defines it, whatever wrote it (Excel,
 * WPS, LibreOffice, openpyxl, exceljs): the workbook found through the package relationships,
 * sheet parts through the workbook's (relative or absolute targets: openpyxl writes absolute
 * ones, which exceljs 4.4's stream reader cannot resolve, exceljs#2663), shared strings with
 * rich text and without phonetic runs, inline strings, the date formats of the styles, and
 * sheets in the workbook's order however the zip orders its parts (exceljs 4.4 needs the
 * workbook before the sheets, exceljs#3064). Nothing depends on the `dimension` element.
 */

/** A cell as read: the value a person sees, never a formula evaluated. */
export type XlsxValue = string | number | boolean | Date | { readonly error: string };
export type XlsxCell = null | XlsxValue | { readonly formula: string; readonly result: XlsxValue | null };

export interface XlsxRow {
  /** 1-based row number */
  readonly number: number;
  /** cells[0] is column A; missing cells are null */
  readonly cells: readonly XlsxCell[];
}

export interface XlsxSheetInfo {
  readonly name: string;
  readonly hidden: boolean;
  /** the sheet's part, or null when the workbook names a sheet that is not a worksheet (a chart sheet) */
  readonly part: string | null;
}

/** Caps of one package: bytes inflated, per part and in all. */
export type XlsxLimits = UnpackBudget;

/**
 * The shared strings are the one part held in memory whole: at most this many bytes of it, and
 * this many strings (a 500,000-row workbook of distinct names is far below either).
 */
export const SHARED_STRINGS_MAX_BYTES = 48 * 1024 * 1024;
export const SHARED_STRINGS_MAX_COUNT = 1_000_000;

/** One cell's text, or one shared string, at most (Excel holds 32,767 characters in a cell). */
export const CELL_TEXT_MAX = 256 * 1024;
/** The workbook, its styles and every relationships part are small; these caps keep them so. */
const METADATA_PART_MAX_BYTES = 16 * 1024 * 1024;
const SHEETS_MAX = 1000;
const CELL_FORMATS_MAX = 100_000;

/** A fault of the file's content; the adapters turn it into their coded refusal, naming the part. */
export class XlsxFormatError extends Error {
  constructor(
    readonly part: string | null,
    reason: string,
  ) {
    super(part ? `${part}: ${reason}` : reason);
    this.name = 'XlsxFormatError';
  }
}

const REL_OFFICE_DOCUMENT = /\/officeDocument$/;
const REL_WORKSHEET = /\/worksheet$/;
const REL_SHARED_STRINGS = /\/sharedStrings$/;
const REL_STYLES = /\/styles$/;

export interface Relationship {
  readonly id: string;
  readonly type: string;
  /** the target part, resolved against the source part (null for an external target) */
  readonly part: string | null;
  readonly target: string;
  readonly external: boolean;
}

interface WorkbookData {
  readonly sheets: readonly XlsxSheetInfo[];
  readonly sharedStringsPart: string | null;
  /** per cell style (cellXfs index): whether its number format is a date */
  readonly dateStyles: readonly boolean[];
  readonly date1904: boolean;
}

/** A shared-string cell whose text is not looked up yet (`rowsDeferred`). */
export interface DeferredString {
  readonly sharedString: number;
}

export class XlsxPackage {
  private workbook?: WorkbookData;
  private strings?: readonly string[];

  private constructor(
    readonly archive: ZipArchive,
    /** the workbook part, found through `_rels/.rels` */
    readonly workbookPart: string,
  ) {}

  /** Opens the zip and finds the workbook part; throws ZipReadError / XlsxFormatError. */
  static async open(path: string, limits: XlsxLimits): Promise<XlsxPackage> {
    const archive = await ZipArchive.open(path, limits);
    try {
      const root = await readRelationships(archive, '');
      const document = root.find((r) => REL_OFFICE_DOCUMENT.test(r.type) && !r.external);
      const workbookPart = document?.part ?? (archive.part('xl/workbook.xml') ? 'xl/workbook.xml' : null);
      if (!workbookPart || !archive.part(workbookPart)) throw new XlsxFormatError(null, 'no workbook part');
      return new XlsxPackage(archive, workbookPart);
    } catch (error) {
      archive.close();
      throw error;
    }
  }

  close(): void {
    this.archive.close();
  }

  /** Lowers the inflation budget from here on (what was inflated so far still counts against the file's). */
  restrict(budget: XlsxLimits): void {
    this.archive.restrict(budget);
  }

  /** The sheets in the workbook's order (the workbook part and the styles, read once). */
  async sheets(): Promise<readonly XlsxSheetInfo[]> {
    return (await this.load()).sheets;
  }

  /** The relationships of a part (`''` for the package's own). */
  relationships(source: string): Promise<readonly Relationship[]> {
    return readRelationships(this.archive, source);
  }

  /** A worksheet's rows in order, as its part's bytes inflate; the shared strings are read (once) first. */
  async *rows(sheet: XlsxSheetInfo): AsyncGenerator<XlsxRow> {
    const strings = await this.sharedStrings();
    yield* this.readRows(sheet, (index, where) => {
      const text = strings[index];
      if (text === undefined) throw new XlsxFormatError(sheet.part, `cell ${where} refers to shared string ${index}, which does not exist`);
      return text;
    });
  }

  /**
   * A worksheet's rows with shared-string cells left as their index, for a small sheet read before
   * deciding whether the rest of the file is worth reading (`sharedStringsAt` looks them up).
   */
  rowsDeferred(sheet: XlsxSheetInfo): AsyncGenerator<{ readonly number: number; readonly cells: readonly (XlsxCell | DeferredString)[] }> {
    return this.readRows(sheet, (index) => ({ sharedString: index }));
  }

  /** The texts of some shared strings, reading the part only as far as the highest index, keeping only those. */
  async sharedStringsAt(indexes: ReadonlySet<number>): Promise<Map<number, string>> {
    const found = new Map<number, string>();
    const { sharedStringsPart } = await this.load();
    if (indexes.size === 0 || !sharedStringsPart || !this.archive.part(sharedStringsPart)) return found;
    const last = Math.max(...indexes);
    await readSharedStrings(this.archive, sharedStringsPart, (index, text) => {
      if (indexes.has(index)) found.set(index, text);
      return index < last;
    });
    return found;
  }

  private async sharedStrings(): Promise<readonly string[]> {
    if (this.strings) return this.strings;
    const { sharedStringsPart } = await this.load();
    const strings: string[] = [];
    if (sharedStringsPart && this.archive.part(sharedStringsPart)) {
      await readSharedStrings(
        this.archive,
        sharedStringsPart,
        (index, text) => {
          if (index >= SHARED_STRINGS_MAX_COUNT) throw new XlsxFormatError(sharedStringsPart, `more than ${SHARED_STRINGS_MAX_COUNT} shared strings`);
          strings.push(text);
          return true;
        },
        SHARED_STRINGS_MAX_BYTES,
      );
    }
    this.strings = strings;
    return strings;
  }

  private async *readRows<S>(
    sheet: XlsxSheetInfo,
    sharedString: (index: number, where: string) => S,
  ): AsyncGenerator<{ number: number; cells: (XlsxCell | S)[] }> {
    if (!sheet.part) return;
    const { dateStyles, date1904 } = await this.load();
    const reader = new SheetReader<S>(sheet.part, sharedString, dateStyles, date1904);
    for await (const _ of parseXmlPart(sheet.part, this.archive.read(sheet.part), reader)) {
      if (reader.ready.length > 0) {
        const rows = reader.ready;
        reader.ready = [];
        yield* rows;
      }
    }
    yield* reader.ready;
  }

  private async load(): Promise<WorkbookData> {
    if (this.workbook) return this.workbook;
    const rels = await readRelationships(this.archive, this.workbookPart);
    const byId = new Map(rels.map((r) => [r.id, r]));
    const sheets: XlsxSheetInfo[] = [];
    let date1904 = false;
    const used = new Set<string>();
    await drain(
      parseXmlPart(this.workbookPart, this.archive.read(this.workbookPart, METADATA_PART_MAX_BYTES), {
        open: (name, attributes) => {
          if (name === 'workbookPr') date1904 = isTrue(attributes.date1904);
          else if (name === 'sheet') {
            if (sheets.length >= SHEETS_MAX) throw new XlsxFormatError(this.workbookPart, `more than ${SHEETS_MAX} sheets`);
            const rel = byId.get(relationshipId(attributes) ?? '');
            const state = attributes.state;
            const part = rel && !rel.external && REL_WORKSHEET.test(rel.type) ? rel.part : null;
            if (part && !this.archive.part(part)) throw new XlsxFormatError(this.workbookPart, `sheet "${attributes.name}" refers to the missing part ${part}`);
            // a part read once per sheet: two sheets on one part would read it twice for nothing
            if (part && used.has(part.toLowerCase())) throw new XlsxFormatError(this.workbookPart, `two sheets refer to the part ${part}`);
            if (part) used.add(part.toLowerCase());
            sheets.push({ name: decodeXstring(attributes.name ?? ''), hidden: state === 'hidden' || state === 'veryHidden', part });
          }
        },
        close: () => undefined,
        text: () => undefined,
      }),
    );
    const sharedStringsPart = rels.find((r) => REL_SHARED_STRINGS.test(r.type) && !r.external)?.part ?? null;
    const stylesPart = rels.find((r) => REL_STYLES.test(r.type) && !r.external)?.part;
    const dateStyles = stylesPart && this.archive.part(stylesPart) ? await readDateStyles(this.archive, stylesPart) : [];
    this.workbook = { sheets, sharedStringsPart, dateStyles, date1904 };
    return this.workbook;
  }
}

async function drain(parsing: AsyncIterable<void>): Promise<void> {
  for await (const _ of parsing);
}

const isTrue = (value: string | undefined) => value === '1' || value === 'true';

/** The `r:id` of an element, whatever prefix the relationships namespace has. */
function relationshipId(attributes: Readonly<Record<string, string>>): string | undefined {
  for (const [name, value] of Object.entries(attributes)) if (name.endsWith(':id')) return value;
  return undefined;
}

/** The relationships part of a part: `dir/_rels/name.rels` (`_rels/.rels` for the package). */
export function relationshipsPartOf(source: string): string {
  const dir = posix.dirname(source);
  return posix.join(dir === '.' ? '' : dir, '_rels', `${posix.basename(source)}.rels`);
}

/** A relationship's target as a part name: absolute from the package root, else relative to the source's folder. */
export function resolveTarget(source: string, target: string): string {
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // not percent-encoded
  }
  decoded = decoded.replace(/\\/g, '/').split('#', 1)[0]!;
  if (decoded.startsWith('/')) return posix.normalize(decoded).replace(/^\/+/, '');
  const base = posix.dirname(source);
  return posix.normalize(posix.join(base === '.' ? '' : base, decoded)).replace(/^(\.\.\/)+/, '');
}

async function readRelationships(archive: ZipArchive, source: string): Promise<Relationship[]> {
  const relsPart = source === '' ? '_rels/.rels' : relationshipsPartOf(source);
  if (!archive.part(relsPart)) return [];
  const result: Relationship[] = [];
  await drain(
    parseXmlPart(relsPart, archive.read(relsPart, METADATA_PART_MAX_BYTES), {
      open: (name, a) => {
        if (name !== 'Relationship') return;
        const external = a.TargetMode === 'External';
        const target = a.Target ?? '';
        result.push({ id: a.Id ?? '', type: a.Type ?? '', target, external, part: external ? null : resolveTarget(source, target) });
      },
      close: () => undefined,
      text: () => undefined,
    }),
  );
  return result;
}

/**
 * Every `<si>` in order, handed to `take` with its index: the text of its runs, phonetic guides
 * (`<rPh>`) left out. Reading stops when `take` answers false.
 */
async function readSharedStrings(archive: ZipArchive, part: string, take: (index: number, text: string) => boolean, maxBytes?: number): Promise<void> {
  let index = 0;
  let inItem = false;
  let inPhonetic = 0;
  let inText = false;
  let text = '';
  let more = true;
  const parsing = parseXmlPart(part, archive.read(part, maxBytes), {
    open(name) {
      if (name === 'si') {
        inItem = true;
        text = '';
      } else if (name === 'rPh') inPhonetic++;
      else if (name === 't' && inItem && inPhonetic === 0) inText = true;
    },
    close(name) {
      if (name === 'si') {
        if (more) more = take(index++, decodeXstring(text));
        inItem = false;
      } else if (name === 'rPh') inPhonetic--;
      else if (name === 't') inText = false;
    },
    text(value) {
      if (!inText) return;
      text += value;
      if (text.length > CELL_TEXT_MAX) throw new XlsxFormatError(part, `shared string ${index} is longer than ${CELL_TEXT_MAX} characters`);
    },
  });
  for await (const _ of parsing) {
    if (!more) {
      await parsing.return(undefined);
      return;
    }
  }
}

/** For each cell format of `<cellXfs>`, whether it shows a date. */
async function readDateStyles(archive: ZipArchive, part: string): Promise<boolean[]> {
  const codes = new Map<number, string>();
  const formatIds: number[] = [];
  let inCellXfs = false;
  await drain(
    parseXmlPart(part, archive.read(part, METADATA_PART_MAX_BYTES), {
      open(name, a) {
        if (name === 'numFmt' && a.numFmtId !== undefined && a.formatCode !== undefined) {
          if (codes.size >= CELL_FORMATS_MAX) throw new XlsxFormatError(part, `more than ${CELL_FORMATS_MAX} number formats`);
          codes.set(Number(a.numFmtId), a.formatCode);
        } else if (name === 'cellXfs') inCellXfs = true;
        else if (name === 'xf' && inCellXfs) {
          if (formatIds.length >= CELL_FORMATS_MAX) throw new XlsxFormatError(part, `more than ${CELL_FORMATS_MAX} cell formats`);
          formatIds.push(Number(a.numFmtId ?? 0));
        }
      },
      close(name) {
        if (name === 'cellXfs') inCellXfs = false;
      },
      text: () => undefined,
    }),
  );
  return formatIds.map((id) => isDateFormat(id, codes.get(id)));
}

/** Days from 1899-12-30 (day 0 of the 1900 date system) to 1970-01-01; the 1904 system starts 1,462 days later. */
const EPOCH_1900 = 25569;
const EPOCH_1904_SHIFT = 1462;
const DAY_MS = 86_400_000;

/** The text of a cell column reference (`AB12` → 27, 0-based), or -1. */
function columnIndex(ref: string): number {
  let index = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    const upper = code >= 97 ? code - 32 : code;
    if (upper < 65 || upper > 90) break;
    index = index * 26 + (upper - 64);
  }
  return i === 0 ? -1 : index - 1;
}

const MAX_COLUMNS = 16_384;

/** The handlers of one worksheet part: collects finished rows in `ready`; `S` is what a shared-string cell becomes. */
class SheetReader<S> implements XmlHandlers {
  ready: { number: number; cells: (XlsxCell | S)[] }[] = [];
  private rowNumber = 0;
  private cells: (XlsxCell | S)[] | null = null;
  private column = -1;
  private cell: { ref: string | undefined; style: number; type: string | undefined } | null = null;
  private value: string | null = null;
  private formula: string | null = null;
  private inline: string | null = null;
  /** what the text handler appends to */
  private target: 'value' | 'formula' | 'inline' | null = null;
  private inPhonetic = 0;

  constructor(
    private readonly part: string,
    private readonly sharedString: (index: number, where: string) => S,
    private readonly dateStyles: readonly boolean[],
    private readonly date1904: boolean,
  ) {}

  open(name: string, a: Readonly<Record<string, string>>): void {
    switch (name) {
      case 'row': {
        const r = a.r === undefined ? this.rowNumber + 1 : Number(a.r);
        if (!Number.isInteger(r) || r <= this.rowNumber || r > 1_048_576) throw new XlsxFormatError(this.part, `row number "${a.r}" out of order`);
        this.rowNumber = r;
        this.cells = [];
        this.column = -1;
        return;
      }
      case 'c': {
        if (!this.cells) return;
        const column = a.r === undefined ? this.column + 1 : columnIndex(a.r);
        if (column < 0 || column >= MAX_COLUMNS) throw new XlsxFormatError(this.part, `cell reference "${a.r}" is not valid`);
        this.column = column;
        this.cell = { ref: a.r, style: a.s === undefined ? 0 : Number(a.s), type: a.t };
        this.value = this.formula = this.inline = null;
        return;
      }
      case 'v':
        if (this.cell) {
          this.value = '';
          this.target = 'value';
        }
        return;
      case 'f':
        if (this.cell) {
          this.formula = '';
          this.target = 'formula';
        }
        return;
      case 'is':
        if (this.cell) this.inline = '';
        return;
      case 'rPh':
        this.inPhonetic++;
        return;
      case 't':
        if (this.cell && this.inline !== null && this.inPhonetic === 0) this.target = 'inline';
        return;
    }
  }

  close(name: string): void {
    switch (name) {
      case 'v':
      case 'f':
      case 't':
        this.target = null;
        return;
      case 'rPh':
        this.inPhonetic--;
        return;
      case 'c':
        if (this.cell && this.cells) {
          const value = this.cellValue();
          if (value !== null) {
            while (this.cells.length < this.column) this.cells.push(null);
            this.cells[this.column] = value;
          }
        }
        this.cell = null;
        return;
      case 'row':
        if (this.cells) this.ready.push({ number: this.rowNumber, cells: this.cells });
        this.cells = null;
        return;
    }
  }

  text(text: string): void {
    if (this.target === 'value') this.value += text;
    else if (this.target === 'formula') this.formula += text;
    else if (this.target === 'inline') this.inline += text;
    else return;
    if ((this.value?.length ?? 0) + (this.formula?.length ?? 0) + (this.inline?.length ?? 0) > CELL_TEXT_MAX) {
      throw new XlsxFormatError(this.part, `cell ${this.where()} holds more than ${CELL_TEXT_MAX} characters`);
    }
  }

  private cellValue(): XlsxCell | S {
    if (this.formula === null && this.cell!.type === 's' && this.value !== null) {
      const index = Number(this.value);
      if (!Number.isInteger(index) || index < 0) throw new XlsxFormatError(this.part, `cell ${this.where()} refers to shared string "${this.value}"`);
      return this.sharedString(index, this.where());
    }
    const result = this.result();
    return this.formula === null ? result : { formula: this.formula, result };
  }

  /** The value of a cell other than a shared string, or a formula's cached result. */
  private result(): XlsxValue | null {
    const { type, style } = this.cell!;
    const raw = this.value;
    switch (type) {
      case 'inlineStr':
        return this.inline !== null ? decodeXstring(this.inline) : raw !== null ? decodeXstring(raw) : null;
      case 's': {
        // a formula's cached result is never a shared string; read it as text
        return raw === null ? null : decodeXstring(raw);
      }
      case 'str':
        return raw === null ? null : decodeXstring(raw);
      case 'b':
        return raw === null ? null : raw.trim() === '1' || raw.trim() === 'true';
      case 'e':
        return raw === null ? null : { error: raw };
      case 'd': {
        if (raw === null) return null;
        const text = raw.trim();
        // an ISO 8601 date without a zone is a wall-clock time: kept in the Date's UTC fields, as serial dates are
        const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) || !text.includes('T') ? text : `${text}Z`);
        if (Number.isNaN(date.getTime())) throw new XlsxFormatError(this.part, `cell ${this.where()} holds "${raw}", which is not a date`);
        return date;
      }
      default: {
        if (raw === null || raw.trim() === '') return null;
        const number = Number(raw);
        if (!Number.isFinite(number)) throw new XlsxFormatError(this.part, `cell ${this.where()} holds "${raw}", which is not a number`);
        if (this.dateStyles[style]) return new Date(Math.round((number - EPOCH_1900 + (this.date1904 ? EPOCH_1904_SHIFT : 0)) * DAY_MS));
        return number;
      }
    }
  }

  private where(): string {
    return this.cell?.ref ?? `row ${this.rowNumber} column ${this.column + 1}`;
  }
}

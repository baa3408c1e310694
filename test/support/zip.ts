import { constants as zlibConstants, crc32, deflateRawSync } from 'node:zlib';

/** One entry of a hand-made zip; the directory may be told lies, to test a reader's distrust. */
export interface ZipEntrySpec {
  readonly name: string;
  readonly content: string | Buffer;
  /** default 'store' */
  readonly method?: 'store' | 'deflate';
  /** what the directory declares it unpacks to (default: the truth) */
  readonly declaredSize?: number;
  /** the CRC-32 the directory declares (default: the truth) */
  readonly crc?: number;
  /** compressed bytes to use instead of the real ones (e.g. a cut-off deflate stream) */
  readonly data?: Buffer;
}

/** A zip file built byte by byte: local headers, data, central directory, end record. */
export function zipOf(entries: readonly ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const nameBytes = Buffer.from(entry.name);
    const raw = Buffer.isBuffer(entry.content) ? entry.content : Buffer.from(entry.content);
    const method = entry.method === 'deflate' ? 8 : 0;
    const data = entry.data ?? (method === 8 ? deflateRawSync(raw) : raw);
    const crc = entry.crc ?? crc32(raw);
    const size = entry.declaredSize ?? raw.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A zip of stored (uncompressed) entries. */
export function storedZip(entries: Record<string, string>): Buffer {
  return zipOf(Object.entries(entries).map(([name, content]) => ({ name, content })));
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DOC_RELS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export interface HandMadeSheet {
  readonly name: string;
  /** the sheet part's XML inside `<sheetData>` */
  readonly sheetData: string;
  /** the whole part instead (e.g. cut off mid-row) */
  readonly partXml?: string;
  readonly state?: 'hidden' | 'veryHidden';
}

export interface HandMadeWorkbook {
  readonly sheets: readonly HandMadeSheet[];
  /** `<si>` elements of the shared strings part (none: no part) */
  readonly sharedStrings?: readonly string[];
  /** `<numFmts>` and `<cellXfs>` content of the styles part (none: no part) */
  readonly styles?: { readonly numFmts?: string; readonly cellXfs: string };
  readonly date1904?: boolean;
  /** how the workbook's relationships name the sheet parts */
  readonly targets?: 'relative' | 'absolute';
  /** where the workbook part lives (default xl/workbook.xml) */
  readonly workbookPart?: string;
  /** zip entry order: the sheets first, the workbook last */
  readonly sheetsFirst?: boolean;
  readonly method?: 'store' | 'deflate';
  /** per part name: what to change in its zip entry (a lying size, a wrong CRC, cut-off data) */
  readonly entries?: Readonly<Record<string, Partial<ZipEntrySpec>>>;
  /** more parts, as they are (e.g. a sheet's relationships, a macro sheet) */
  readonly extraParts?: readonly { readonly name: string; readonly content: string }[];
  /** `<Override>` / `<Default>` elements of [Content_Types].xml */
  readonly contentTypes?: string;
}

/** A minimal but conforming SpreadsheetML package, written as other tools lay theirs out. */
export function handMadeXlsx(spec: HandMadeWorkbook): Buffer {
  const workbookPart = spec.workbookPart ?? 'xl/workbook.xml';
  const dir = workbookPart.slice(0, workbookPart.lastIndexOf('/'));
  const target = (relative: string) => (spec.targets === 'absolute' ? `/${dir}/${relative}` : relative);
  const rels: string[] = [];
  const parts: ZipEntrySpec[] = [];
  const sheetEntries: string[] = [];
  spec.sheets.forEach((sheet, i) => {
    rels.push(`<Relationship Id="rId${i + 1}" Type="${DOC_RELS}/worksheet" Target="${target(`worksheets/sheet${i + 1}.xml`)}"/>`);
    sheetEntries.push(`<sheet name="${sheet.name}" sheetId="${i + 1}"${sheet.state ? ` state="${sheet.state}"` : ''} r:id="rId${i + 1}"/>`);
    parts.push({
      name: `${dir}/worksheets/sheet${i + 1}.xml`,
      content: sheet.partXml ?? `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData>${sheet.sheetData}</sheetData></worksheet>`,
    });
  });
  if (spec.sharedStrings) {
    rels.push(`<Relationship Id="rIdS" Type="${DOC_RELS}/sharedStrings" Target="${target('sharedStrings.xml')}"/>`);
    parts.push({
      name: `${dir}/sharedStrings.xml`,
      content: `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN}">${spec.sharedStrings.join('')}</sst>`,
    });
  }
  if (spec.styles) {
    rels.push(`<Relationship Id="rIdT" Type="${DOC_RELS}/styles" Target="${target('styles.xml')}"/>`);
    parts.push({
      name: `${dir}/styles.xml`,
      content: `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${MAIN}">${spec.styles.numFmts ? `<numFmts>${spec.styles.numFmts}</numFmts>` : ''}<cellXfs>${spec.styles.cellXfs}</cellXfs></styleSheet>`,
    });
  }
  const workbook: ZipEntrySpec = {
    name: workbookPart,
    content: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${DOC_RELS}">${spec.date1904 ? '<workbookPr date1904="1"/>' : ''}<sheets>${sheetEntries.join('')}</sheets></workbook>`,
  };
  const head: ZipEntrySpec[] = [
    {
      name: '[Content_Types].xml',
      content: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">${spec.contentTypes ?? ''}</Types>`,
    },
    {
      name: '_rels/.rels',
      content: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${RELS}"><Relationship Id="rId1" Type="${DOC_RELS}/officeDocument" Target="${spec.targets === 'absolute' ? '/' : ''}${workbookPart}"/></Relationships>`,
    },
    {
      name: `${dir}/_rels/${workbookPart.slice(dir.length + 1)}.rels`,
      content: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${RELS}">${rels.join('')}</Relationships>`,
    },
  ];
  const extra = (spec.extraParts ?? []).map((p) => ({ name: p.name, content: p.content }));
  const ordered = spec.sheetsFirst ? [...parts, ...head, workbook, ...extra] : [...head, workbook, ...parts, ...extra];
  return zipOf(ordered.map((p) => ({ ...p, method: spec.method ?? 'deflate', ...spec.entries?.[p.name] })));
}

/**
 * Raw deflate data that inflates to `prefix`, then `unit` repeated `times` times, then `suffix`,
 * built without ever holding what it inflates to: each piece is compressed on its own and
 * sync-flushed, so the pieces join into one stream, and the repeated piece is the same buffer.
 * `final: false` leaves out the last block: a stream that never ends.
 */
export function deflatedRepeat(prefix: string, unit: string, times: number, suffix = '', final = true): { data: Buffer; size: number } {
  const sync = { finishFlush: zlibConstants.Z_SYNC_FLUSH };
  const unitBytes = Buffer.from(unit);
  const head = deflateRawSync(Buffer.from(prefix), sync);
  const body = deflateRawSync(unitBytes, sync);
  const tail = deflateRawSync(Buffer.from(suffix), final ? {} : sync);
  return {
    data: Buffer.concat([head, ...Array<Buffer>(times).fill(body), tail]),
    size: Buffer.byteLength(prefix) + unitBytes.length * times + Buffer.byteLength(suffix),
  };
}

import { parseXmlPart } from './xml-part.js';
import { partKey, ZipReadError, type ZipArchive } from './zip-archive.js';

/**
 * What a workbook carries besides cells, found before anything else is read: parts that hold or
 * load code, and relationships that reach outside the file. A spreadsheet a clerk fills has none
 * of these; each is refused, naming the part.
 */
export type PackageFinding =
  /** VBA, Excel 4.0 (XLM) macro sheets, dialog sheets, or a macro-enabled workbook under an .xlsx name */
  | { readonly kind: 'macros'; readonly part: string }
  /** ActiveX controls, OLE objects, embedded packages */
  | { readonly kind: 'active-content'; readonly part: string }
  /** a relationship whose target is outside the file (other than a plain hyperlink) */
  | { readonly kind: 'external'; readonly part: string; readonly target: string };

const MACRO_TYPES = new Set([
  'application/vnd.ms-office.vbaproject',
  'application/vnd.ms-office.vbaprojectsignature',
  'application/vnd.ms-excel.sheet.macroenabled.main+xml',
  'application/vnd.ms-excel.template.macroenabled.main+xml',
  'application/vnd.ms-excel.addin.macroenabled.main+xml',
  'application/vnd.ms-excel.macrosheet+xml',
  'application/vnd.ms-excel.intlmacrosheet+xml',
  'application/vnd.ms-excel.dialogsheet+xml',
]);
const ACTIVE_TYPES = new Set([
  'application/vnd.ms-office.activex+xml',
  'application/vnd.ms-office.activex',
  'application/vnd.openxmlformats-officedocument.oleobject',
  'application/vnd.openxmlformats-officedocument.package',
]);
const EXTERNAL_TYPES = new Set(['application/vnd.openxmlformats-officedocument.spreadsheetml.externallink+xml']);
const EXTERNAL_PATHS = [/^xl\/externallinks\//];
const MACRO_PATHS = [/(^|\/)vbaproject(signature)?\.bin$/, /^xl\/macrosheets\//, /^xl\/dialogsheets\//];
const ACTIVE_PATHS = [/^xl\/activex\//, /^xl\/embeddings\//];
const MACRO_RELATIONSHIPS = /\/(vbaProject|xlMacrosheet|xlIntlMacrosheet|dialogsheet)$/;
const ACTIVE_RELATIONSHIPS = /\/(control|activeXControlBinary|oleObject|package)$/;
/** Relationships that only remember an address: no office suite fetches them when the file opens. */
const INERT_EXTERNAL = /\/hyperlink$/;

/** Each part small enough for this look (content types and relationships are a few KB), and not too many. */
const INSPECTED_PART_BYTES = 4 * 1024 * 1024;
const RELATIONSHIP_PARTS_MAX = 2000;

/** The first finding, if any (one is enough to refuse the file). */
export async function firstFinding(archive: ZipArchive): Promise<PackageFinding | undefined> {
  try {
    await inspectPackage(archive, (finding) => {
      throw new Found(finding);
    });
  } catch (error) {
    if (error instanceof Found) return error.finding;
    throw error;
  }
  return undefined;
}

class Found extends Error {
  constructor(readonly finding: PackageFinding) {
    super('found');
  }
}

/** Hands every finding to `report` (which may throw to stop). */
export async function inspectPackage(archive: ZipArchive, report: (finding: PackageFinding) => void): Promise<void> {
  const findings = { push: report };
  const parts = archive.list();
  const defaults = new Map<string, string>();
  const overrides = new Map<string, string>();
  const contentTypes = parts.find((p) => partKey(p.name) === '[content_types].xml');
  if (contentTypes) {
    await readXml(archive, contentTypes.name, (name, a) => {
      if (name === 'Default' && a.Extension && a.ContentType) defaults.set(a.Extension.toLowerCase(), a.ContentType.toLowerCase());
      else if (name === 'Override' && a.PartName && a.ContentType) overrides.set(partKey(a.PartName), a.ContentType.toLowerCase());
    });
  }
  for (const part of parts) {
    const key = partKey(part.name);
    const extension = key.includes('.') ? key.slice(key.lastIndexOf('.') + 1) : '';
    const type = overrides.get(key) ?? defaults.get(extension) ?? '';
    if (MACRO_TYPES.has(type) || MACRO_PATHS.some((p) => p.test(key))) findings.push({ kind: 'macros', part: part.name });
    else if (ACTIVE_TYPES.has(type) || ACTIVE_PATHS.some((p) => p.test(key))) findings.push({ kind: 'active-content', part: part.name });
    else if (EXTERNAL_TYPES.has(type) || (EXTERNAL_PATHS.some((p) => p.test(key)) && !key.endsWith('.rels')))
      findings.push({ kind: 'external', part: part.name, target: '' });
  }
  const relationshipParts = parts.filter((p) => partKey(p.name).endsWith('.rels'));
  if (relationshipParts.length > RELATIONSHIP_PARTS_MAX) throw new ZipReadError(`${relationshipParts.length} relationships parts: no workbook has that many`);
  for (const part of relationshipParts) {
    await readXml(archive, part.name, (name, a) => {
      if (name !== 'Relationship') return;
      const type = a.Type ?? '';
      if (MACRO_RELATIONSHIPS.test(type)) findings.push({ kind: 'macros', part: part.name });
      else if (ACTIVE_RELATIONSHIPS.test(type)) findings.push({ kind: 'active-content', part: part.name });
      else if (a.TargetMode === 'External' && !INERT_EXTERNAL.test(type)) findings.push({ kind: 'external', part: part.name, target: a.Target ?? '' });
    });
  }
}

async function readXml(archive: ZipArchive, part: string, open: (name: string, attributes: Readonly<Record<string, string>>) => void): Promise<void> {
  for await (const _ of parseXmlPart(part, archive.read(part, INSPECTED_PART_BYTES), { open, close: () => undefined, text: () => undefined }));
}

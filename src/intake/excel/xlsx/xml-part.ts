import { TextDecoder } from 'node:util';
import { SaxesParser } from 'saxes';

/** Callbacks of a part's XML; element and attribute names as written (prefixes kept on attributes). */
export interface XmlHandlers {
  /** `name` is the local name: a `x:` prefix some writers put on every element is dropped */
  open(name: string, attributes: Readonly<Record<string, string>>): void;
  close(name: string): void;
  /** character data (text and CDATA), possibly in several pieces */
  text(text: string): void;
}

/** The XML of a part is not well-formed, not in a Unicode encoding, or ends early. */
export class XmlPartError extends Error {
  constructor(
    readonly part: string,
    reason: string,
  ) {
    super(`${part}: ${reason}`);
    this.name = 'XmlPartError';
  }
}

/**
 * The most characters between two `<`: a cell holds at most 32,767 characters (Excel's limit), six
 * times that when every one is escaped. A longer run of text or one tag is no spreadsheet's, and
 * the parser would buffer all of it: the part is refused instead.
 */
export const MAX_TEXT_RUN = 256 * 1024;

const localName = (name: string) => {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
};

/**
 * Parses a part's XML as its bytes arrive and yields after each chunk, so that the caller can hand
 * on what the handlers collected. Bytes are decoded by one streaming TextDecoder over the whole
 * part: a character split between two chunks is joined, never replaced (exceljs 4.4 decodes each
 * chunk on its own, exceljs#2084 / #2316). Bytes that are not valid UTF-8 (or UTF-16 with its byte
 * order mark) refuse the part rather than becoming U+FFFD. The parser is closed at the end, so a
 * part cut off mid-element is an error, not a shorter sheet. No entity beyond XML's own is
 * expanded.
 */
export async function* parseXmlPart(part: string, chunks: AsyncIterable<Buffer>, handlers: XmlHandlers): AsyncGenerator<void> {
  const parser = new SaxesParser({ position: false });
  parser.on('opentag', (tag) => handlers.open(localName(tag.name), tag.attributes as Record<string, string>));
  parser.on('closetag', (tag) => handlers.close(localName(tag.name)));
  parser.on('text', (text) => handlers.text(text));
  parser.on('cdata', (text) => handlers.text(text));
  let decoder: TextDecoder | undefined;
  /** characters since the last `<` */
  let run = 0;
  const checkRun = (text: string) => {
    const first = text.indexOf('<');
    if (first < 0) run += text.length;
    else {
      if (run + first > MAX_TEXT_RUN) run += first;
      else run = text.length - text.lastIndexOf('<') - 1;
    }
    if (run > MAX_TEXT_RUN) throw new XmlPartError(part, `a text or tag longer than ${MAX_TEXT_RUN} characters`);
  };
  const fail = (error: unknown): never => {
    if (error instanceof XmlPartError) throw error;
    const code = (error as { code?: string }).code;
    throw new XmlPartError(part, code === 'ERR_ENCODING_INVALID_ENCODED_DATA' ? 'bytes that are not valid in its encoding' : (error as Error).message);
  };
  for await (const chunk of chunks) {
    try {
      decoder ??= new TextDecoder(encodingOf(chunk), { fatal: true });
      const text = decoder.decode(chunk, { stream: true });
      checkRun(text);
      parser.write(text);
    } catch (error) {
      fail(error);
    }
    yield;
  }
  try {
    if (!decoder) throw new XmlPartError(part, 'empty part');
    parser.write(decoder.decode());
    parser.close();
  } catch (error) {
    fail(error);
  }
  yield;
}

/** XML is UTF-8 unless a byte order mark says UTF-16 (the decoder drops the mark). */
function encodingOf(head: Buffer): 'utf-8' | 'utf-16le' | 'utf-16be' {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/**
 * Text of a spreadsheet string (ECMA-376 Part 1, 22.9.2.19 ST_Xstring): `_xHHHH_` stands for the
 * character U+HHHH (Excel writes a carriage return as `_x000D_`, and `_x005F_` for a `_` that
 * would otherwise start such an escape).
 */
export function decodeXstring(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

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
  // what a handler throws passes through as it is; only the parser's and decoder's own errors become XmlPartError
  let handlerError: { error: unknown } | undefined;
  const guarded =
    <A extends unknown[]>(handle: (...args: A) => void) =>
    (...args: A) => {
      try {
        handle(...args);
      } catch (error) {
        handlerError = { error };
        throw error;
      }
    };
  parser.on(
    'opentag',
    guarded((tag) => handlers.open(localName(tag.name), tag.attributes as Record<string, string>)),
  );
  parser.on(
    'closetag',
    guarded((tag) => handlers.close(localName(tag.name))),
  );
  parser.on(
    'text',
    guarded((text: string) => handlers.text(text)),
  );
  parser.on(
    'cdata',
    guarded((text: string) => handlers.text(text)),
  );
  let decoder: TextDecoder | undefined;
  const runs = new TextRunCheck(part);
  const fail = (error: unknown): never => {
    if (handlerError) throw handlerError.error;
    if (error instanceof XmlPartError) throw error;
    const code = (error as { code?: string }).code;
    throw new XmlPartError(part, code === 'ERR_ENCODING_INVALID_ENCODED_DATA' ? 'bytes that are not valid in its encoding' : (error as Error).message);
  };
  for await (const chunk of chunks) {
    try {
      decoder ??= new TextDecoder(encodingOf(chunk), { fatal: true });
      const text = decoder.decode(chunk, { stream: true });
      runs.check(text, false);
      parser.write(text);
    } catch (error) {
      fail(error);
    }
    yield;
  }
  try {
    if (!decoder) throw new XmlPartError(part, 'empty part');
    const rest = decoder.decode();
    runs.check(rest, true);
    parser.write(rest);
    parser.close();
  } catch (error) {
    fail(error);
  }
  yield;
}

const CDATA_START = '<![CDATA[';
const CDATA_END = ']]>';

/**
 * Holds every run of characters the parser would buffer to MAX_TEXT_RUN: text between tags, one tag,
 * and a CDATA section (which may hold `<`). The last few characters of a chunk are looked at with
 * the next, so that a marker split between chunks is seen whole.
 */
class TextRunCheck {
  private run = 0;
  private inCdata = false;
  private pending = '';

  constructor(private readonly part: string) {}

  check(text: string, final: boolean): void {
    const s = this.pending + text;
    const upto = final ? s.length : Math.max(0, s.length - CDATA_START.length);
    let i = 0;
    while (i < upto) {
      if (this.inCdata) {
        const end = s.indexOf(CDATA_END, i);
        if (end < 0 || end >= upto) {
          this.add(upto - i);
          i = upto;
          break;
        }
        this.add(end - i);
        this.inCdata = false;
        this.run = 0;
        i = end + CDATA_END.length;
        continue;
      }
      const lt = s.indexOf('<', i);
      if (lt < 0 || lt >= upto) {
        this.add(upto - i);
        i = upto;
        break;
      }
      this.add(lt - i);
      this.run = 0;
      if (s.startsWith(CDATA_START, lt)) {
        this.inCdata = true;
        i = lt + CDATA_START.length;
      } else i = lt + 1;
    }
    this.pending = s.slice(i);
  }

  private add(characters: number): void {
    this.run += characters;
    if (this.run > MAX_TEXT_RUN) throw new XmlPartError(this.part, `a text, tag or CDATA section longer than ${MAX_TEXT_RUN} characters`);
  }
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

import { createReadStream } from 'node:fs';
import type { CellInput } from './cells.js';
import type { SourceRow, SourceSheet, TabularFile } from './sheet-scan.js';

export type CsvEncoding = 'utf-8' | 'gbk' | 'utf-16le';

/**
 * The encoding of a CSV file: UTF-16 by its byte order mark (Excel's "Unicode text"), UTF-8
 * (with or without BOM) when every byte sequence is valid UTF-8, else GBK (what Excel and
 * WPS on a Chinese Windows write as "CSV"). Reads the file once, without keeping it.
 */
export async function detectCsvEncoding(path: string): Promise<CsvEncoding> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (first) {
        first = false;
        if (chunk.length >= 2 && chunk[0] === 0xff && chunk[1] === 0xfe) return 'utf-16le';
      }
      decoder.decode(chunk, { stream: true });
    }
    decoder.decode();
    return 'utf-8';
  } catch (error) {
    // not valid UTF-8 (checked by code: errors from another realm, e.g. under jest, fail instanceof)
    if ((error as { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') return 'gbk';
    throw error;
  } finally {
    stream.destroy();
  }
}

/** A CSV file as one sheet; its name is decided by its header (see scanTable). */
export function csvFile(path: string, fileName: string, encoding: CsvEncoding): TabularFile {
  return {
    fileName,
    format: 'csv',
    async *sheets(): AsyncGenerator<SourceSheet> {
      yield { name: fileName, hidden: false, rows: () => csvRows(path, encoding) };
    },
  };
}

const State = { FieldStart: 0, Unquoted: 1, Quoted: 2, QuoteInQuoted: 3 } as const;
type State = (typeof State)[keyof typeof State];

/** RFC 4180 records (quoted fields may hold delimiters, quotes and line breaks), streamed. */
export async function* csvRows(path: string, encoding: CsvEncoding): AsyncGenerator<SourceRow> {
  // TextDecoder drops a leading byte order mark
  const decoder = new TextDecoder(encoding);
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  let delimiter: string | undefined;
  let state: State = State.FieldStart;
  let field = '';
  let row: string[] = [];
  let rowNumber = 0;
  let skipLineFeed = false;
  let ready: SourceRow[] = [];

  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rowNumber++;
    ready.push({ number: rowNumber, cells: row.map(toCell) });
    row = [];
    state = State.FieldStart;
  };

  const consume = (text: string) => {
    if (delimiter === undefined) {
      const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
      delimiter = !firstLine.includes(',') && firstLine.includes('\t') ? '\t' : !firstLine.includes(',') && firstLine.includes(';') ? ';' : ',';
    }
    const d = delimiter;
    let i = 0;
    const n = text.length;
    while (i < n) {
      const ch = text[i];
      if (skipLineFeed) {
        skipLineFeed = false;
        if (ch === '\n') {
          i++;
          continue;
        }
      }
      switch (state) {
        case State.FieldStart:
        case State.Unquoted: {
          if (state === State.FieldStart && ch === '"') {
            state = State.Quoted;
            i++;
            break;
          }
          // take the run of ordinary characters at once
          let j = i;
          while (j < n) {
            const c = text[j];
            if (c === d || c === '\r' || c === '\n') break;
            j++;
          }
          field += text.slice(i, j);
          state = State.Unquoted;
          i = j;
          if (i < n) {
            const c = text[i];
            if (c === d) {
              endField();
              state = State.FieldStart;
            } else {
              endRow();
              skipLineFeed = c === '\r';
            }
            i++;
          }
          break;
        }
        case State.Quoted: {
          const j = text.indexOf('"', i);
          if (j < 0) {
            field += text.slice(i);
            i = n;
          } else {
            field += text.slice(i, j);
            state = State.QuoteInQuoted;
            i = j + 1;
          }
          break;
        }
        case State.QuoteInQuoted: {
          if (ch === '"') {
            field += '"';
            state = State.Quoted;
          } else if (ch === d) {
            endField();
            state = State.FieldStart;
          } else if (ch === '\r' || ch === '\n') {
            endRow();
            skipLineFeed = ch === '\r';
          } else {
            // lenient: text after a closing quote belongs to the field
            field += ch;
            state = State.Unquoted;
          }
          i++;
          break;
        }
      }
    }
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      consume(decoder.decode(chunk, { stream: true }));
      if (ready.length > 0) {
        const rows = ready;
        ready = [];
        yield* rows;
      }
    }
    consume(decoder.decode());
    if (field !== '' || row.length > 0 || (state as State) === State.QuoteInQuoted) endRow();
    yield* ready;
  } finally {
    stream.destroy();
  }
}

function toCell(text: string): CellInput {
  return text === '' ? null : text;
}

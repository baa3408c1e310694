import { open } from 'node:fs/promises';

/** One entry of a zip file's central directory. */
export interface ZipEntry {
  readonly name: string;
  readonly uncompressedSize: number;
  /** where its local header starts */
  readonly offset: number;
}

export interface ZipDirectory {
  readonly entries: readonly ZipEntry[];
  /** where the central directory starts: the end of the last entry's data */
  readonly directoryOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;

/**
 * Lists a zip file's entries from its central directory without unpacking anything: enough
 * to see, before reading a workbook, whether it carries macros or external links and how
 * large it unpacks. Throws an Error (not a DomainError) when the file is not a readable zip.
 */
export async function readZipDirectory(path: string): Promise<ZipDirectory> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const read = async (position: number, length: number) => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      if (bytesRead !== length) throw new Error('unexpected end of file');
      return buffer;
    };
    const tailLength = Math.min(size, EOCD_MIN + MAX_COMMENT);
    if (tailLength < EOCD_MIN) throw new Error('too short for a zip file');
    const tail = await read(size - tailLength, tailLength);
    let eocd = -1;
    for (let i = tail.length - EOCD_MIN; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error('no end of central directory record');
    let entries = tail.readUInt16LE(eocd + 10);
    let directorySize = tail.readUInt32LE(eocd + 12);
    let directoryOffset = tail.readUInt32LE(eocd + 16);
    if (entries === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
      const locator = eocd - 20;
      if (locator < 0 || tail.readUInt32LE(locator) !== ZIP64_LOCATOR_SIGNATURE) throw new Error('zip64 locator missing');
      const record = await read(Number(tail.readBigUInt64LE(locator + 8)), 56);
      if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw new Error('zip64 end of central directory missing');
      entries = Number(record.readBigUInt64LE(32));
      directorySize = Number(record.readBigUInt64LE(40));
      directoryOffset = Number(record.readBigUInt64LE(48));
    }
    if (directoryOffset + directorySize > size) throw new Error('central directory beyond the end of the file');
    const directory = await read(directoryOffset, directorySize);
    const result: ZipEntry[] = [];
    let p = 0;
    for (let n = 0; n < entries; n++) {
      if (p + 46 > directory.length || directory.readUInt32LE(p) !== CENTRAL_SIGNATURE) throw new Error('malformed central directory');
      const compressed = directory.readUInt32LE(p + 20);
      let uncompressed = directory.readUInt32LE(p + 24);
      let offset = directory.readUInt32LE(p + 42);
      const nameLength = directory.readUInt16LE(p + 28);
      const extraLength = directory.readUInt16LE(p + 30);
      const commentLength = directory.readUInt16LE(p + 32);
      const name = directory.toString('utf8', p + 46, p + 46 + nameLength);
      if (uncompressed === 0xffffffff || compressed === 0xffffffff || offset === 0xffffffff) {
        // the zip64 extra field holds, in this order, the values that did not fit
        let e = p + 46 + nameLength;
        const end = e + extraLength;
        while (e + 4 <= end) {
          const id = directory.readUInt16LE(e);
          const length = directory.readUInt16LE(e + 2);
          if (id === 0x0001) {
            let v = e + 4;
            const next = () => {
              const value = Number(directory.readBigUInt64LE(v));
              v += 8;
              return value;
            };
            if (uncompressed === 0xffffffff) uncompressed = next();
            if (compressed === 0xffffffff) next();
            if (offset === 0xffffffff) offset = next();
            break;
          }
          e += 4 + length;
        }
      }
      result.push({ name, uncompressedSize: uncompressed, offset });
      p += 46 + nameLength + extraLength + commentLength;
    }
    return { entries: result, directoryOffset };
  } finally {
    await handle.close();
  }
}

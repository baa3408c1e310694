import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';

/** One part (zip entry) of a package, as its central directory declares it. */
export interface ZipPart {
  /** the part name: `/` separators, no leading `/`, as written (compare with `partKey`) */
  readonly name: string;
  /** what the directory says it unpacks to; the reader holds the part to it */
  readonly declaredSize: number;
  readonly entry: yauzl.Entry;
}

/** Caps counted on the bytes actually inflated, never on what the directory declares. */
export interface UnpackBudget {
  /** one part */
  readonly maxPartBytes: number;
  /** all distinct parts of the file together */
  readonly maxTotalBytes: number;
}

/** Why an archive could not be read; the adapters turn it into their coded refusal. */
export class ZipReadError extends Error {
  constructor(
    message: string,
    /** the part at fault, when one is */
    readonly part?: string,
    /** a budget was exceeded (not a malformed file) */
    readonly overBudget?: { readonly bytes: number; readonly limit: number; readonly scope: 'part' | 'file' },
  ) {
    super(part ? `${part}: ${message}` : message);
    this.name = 'ZipReadError';
  }
}

/** Parts of a zip at most: a workbook has a few dozen; listing is read before anything is refused. */
const MAX_ENTRIES = 10_000;

/** Part names compare case-insensitively (ECMA-376 Part 2, 9.1.1.1). */
export const partKey = (name: string): string => name.replace(/\\/g, '/').replace(/^\/+/, '').toLowerCase();

/**
 * A zip file read part by part with yauzl: random access through the central directory, each
 * part inflated as a stream, and every part held to its budget by counting the bytes it
 * actually inflates to (a part whose directory entry lies about its size stops at the first
 * byte over; yauzl refuses it too, `validateEntrySizes`). A part that inflates to fewer bytes
 * than declared, whose deflate stream is cut short, or whose CRC-32 does not match is refused.
 */
export class ZipArchive {
  private readonly parts: ReadonlyMap<string, ZipPart>;
  /** the largest byte count seen inflating each part, for the file's budget */
  private readonly inflated = new Map<string, number>();
  private inflatedTotal = 0;

  private constructor(
    private readonly zip: yauzl.ZipFile,
    parts: readonly ZipPart[],
    private budget: UnpackBudget,
  ) {
    this.parts = new Map(parts.map((p) => [partKey(p.name), p]));
  }

  /** Lists the parts; throws ZipReadError when the file is not a readable zip. */
  static async open(path: string, budget: UnpackBudget): Promise<ZipArchive> {
    let zip: yauzl.ZipFile;
    try {
      zip = await yauzl.openPromise(path, { autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: false });
    } catch (error) {
      throw new ZipReadError((error as Error).message);
    }
    const parts: ZipPart[] = [];
    if (zip.entryCount > MAX_ENTRIES) {
      zip.close();
      throw new ZipReadError(`${zip.entryCount} entries: a workbook has far fewer than ${MAX_ENTRIES}`);
    }
    try {
      for await (const entry of zip.eachEntry()) {
        if (entry.fileName.endsWith('/')) continue;
        parts.push({ name: entry.fileName.replace(/\\/g, '/').replace(/^\/+/, ''), declaredSize: entry.uncompressedSize, entry });
      }
    } catch (error) {
      zip.close();
      throw new ZipReadError((error as Error).message);
    }
    return new ZipArchive(zip, parts, budget);
  }

  /** Lowers the budget from here on; bytes inflated so far still count against the file's. */
  restrict(budget: UnpackBudget): void {
    this.budget = {
      maxPartBytes: Math.min(this.budget.maxPartBytes, budget.maxPartBytes),
      maxTotalBytes: Math.min(this.budget.maxTotalBytes, budget.maxTotalBytes),
    };
  }

  /** Every part, in the order of the central directory. */
  list(): readonly ZipPart[] {
    return [...this.parts.values()];
  }

  part(name: string): ZipPart | undefined {
    return this.parts.get(partKey(name));
  }

  /** What the directory declares the whole file unpacks to. */
  declaredTotal(): number {
    let total = 0;
    for (const part of this.parts.values()) total += part.declaredSize;
    return total;
  }

  /**
   * The part's bytes as they inflate, in chunks. Stops with a ZipReadError at the first byte
   * over the part's budget or the file's, and at the end when the part is short or corrupt.
   */
  async *read(name: string, maxPartBytes = this.budget.maxPartBytes): AsyncGenerator<Buffer> {
    const part = this.part(name);
    if (!part) throw new ZipReadError('part missing', name);
    const key = partKey(name);
    const limit = Math.min(maxPartBytes, this.budget.maxPartBytes);
    if (part.declaredSize > limit) throw new ZipReadError('part too large', part.name, { bytes: part.declaredSize, limit, scope: 'part' });
    if (part.entry.isEncrypted()) throw new ZipReadError('part is encrypted', part.name);
    if (!part.entry.canDecodeFileData()) throw new ZipReadError(`compression method ${part.entry.compressionMethod} not supported`, part.name);

    let stream: Readable;
    try {
      stream = await this.zip.openReadStreamPromise(part.entry);
    } catch (error) {
      throw new ZipReadError((error as Error).message, part.name);
    }
    let bytes = 0;
    let crc = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > limit) throw new ZipReadError('part inflates past its budget', part.name, { bytes, limit, scope: 'part' });
        this.count(key, bytes, part.name);
        crc = crc32(chunk, crc);
        yield chunk;
      }
    } catch (error) {
      if (error instanceof ZipReadError) throw error;
      throw new ZipReadError((error as Error).message, part.name);
    } finally {
      stream.destroy();
    }
    if (bytes !== part.declaredSize) throw new ZipReadError(`inflates to ${bytes} bytes, the directory says ${part.declaredSize}`, part.name);
    if (crc >>> 0 !== part.entry.crc32 >>> 0) throw new ZipReadError('CRC-32 mismatch: the part is corrupt', part.name);
  }

  /** A whole (small) part as one buffer. */
  async readAll(name: string, maxPartBytes?: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.read(name, maxPartBytes)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  close(): void {
    this.zip.close();
  }

  private count(key: string, bytesOfPart: number, name: string): void {
    const before = this.inflated.get(key) ?? 0;
    if (bytesOfPart <= before) return;
    this.inflated.set(key, bytesOfPart);
    this.inflatedTotal += bytesOfPart - before;
    if (this.inflatedTotal > this.budget.maxTotalBytes) {
      throw new ZipReadError('the file inflates past its budget', name, { bytes: this.inflatedTotal, limit: this.budget.maxTotalBytes, scope: 'file' });
    }
  }
}

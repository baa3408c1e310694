import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { StreamableFile } from '@nestjs/common';
import { badInput } from '../domain/errors.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file multer kept in memory (multipart field `file`). */
export interface UploadedFileBody {
  originalname: string;
  buffer: Buffer;
}

/**
 * Puts an upload in a temporary folder under its own name (the importers read the extension and
 * name the file in their messages), runs `work` on its path and removes it whatever happens.
 */
export async function withUploadedFile<T>(file: UploadedFileBody | undefined, work: (path: string) => Promise<T>): Promise<T> {
  if (!file) throw badInput('UPLOAD_MISSING', 'upload the file as multipart field "file"', '请以 multipart 字段 file 上传文件');
  const dir = await mkdtemp(join(tmpdir(), 'redprop-upload-'));
  try {
    // multer gives the name as latin1 bytes; browsers and curl send UTF-8
    const path = join(dir, basename(Buffer.from(file.originalname, 'latin1').toString('utf8')) || 'upload.xlsx');
    await writeFile(path, file.buffer);
    return await work(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A workbook as a download; a Chinese file name travels as RFC 5987 `filename*`, with an ASCII fallback. */
export function download(path: string): StreamableFile {
  const name = basename(path);
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return new StreamableFile(createReadStream(path), { type: XLSX, disposition: `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}` });
}

import { createReadStream, mkdirSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import {
  applyDecorators,
  Inject,
  SetMetadata,
  Injectable,
  StreamableFile,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { diskStorage } from 'multer';
import { finalize, type Observable } from 'rxjs';
import { principalOf, type RequestWithPrincipal } from '../auth/principal.decorator.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { badInput, TooManyRequestsError } from '../domain/errors.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file multer wrote to disk (multipart field `file`): an upload is never held in memory. */
export interface UploadedFileBody {
  originalname: string;
  path: string;
}

/** Marks a handler that takes an upload (its body is the multipart form). */
export const UPLOAD_FIELD = 'redprop:upload-field';

const UPLOAD_DIR = join(tmpdir(), 'redprop-uploads');

/** The longest file name kept, in UTF-8 bytes: file systems allow 255, and the name travels in messages. */
const MAX_NAME_BYTES = 120;

/**
 * The upload's own name, made safe to use as a file name: multer gives it as latin1 bytes (browsers
 * and curl send UTF-8), without folders or control characters, shortened (extension kept) when long.
 */
export function uploadName(original: string): string {
  const name = basename(Buffer.from(original.slice(0, 4096), 'latin1').toString('utf8').replace(/\\/g, '/'))
    .replace(/\p{Cc}/gu, '')
    .trim();
  if (name === '' || name === '.' || name === '..') return 'upload.xlsx';
  if (Buffer.byteLength(name) <= MAX_NAME_BYTES) return name;
  const extension = extname(name).slice(0, 16);
  const room = MAX_NAME_BYTES - Buffer.byteLength(`…${extension}`);
  // one pass, whole characters only
  let stem = '';
  let bytes = 0;
  for (const character of name.slice(0, name.length - extname(name).length)) {
    bytes += Buffer.byteLength(character);
    if (bytes > room) break;
    stem += character;
  }
  return `${stem}…${extension}`;
}

/**
 * Gives the upload its own name in a folder of its own (the importers read the extension and name
 * the file in their messages), runs `work` on its path and removes it whatever happens.
 */
export async function withUploadedFile<T>(file: UploadedFileBody | undefined, work: (path: string) => Promise<T>): Promise<T> {
  if (!file) throw badInput('UPLOAD_MISSING', 'upload the file as multipart field "file"', '请以 multipart 字段 file 上传文件');
  const dir = await mkdtemp(join(tmpdir(), 'redprop-upload-'));
  try {
    const path = join(dir, uploadName(file.originalname));
    await rename(file.path, path);
    return await work(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(file.path, { force: true });
  }
}

/** Uploads in progress, per key and in all: no sequence of uploads can hold more of the server than this. */
@Injectable()
export class UploadSlots {
  private readonly byKey = new Map<number, number>();
  private total = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Takes a slot for the key, or refuses with 429; the returned function gives it back. */
  acquire(keyId: number): () => void {
    const { uploadsPerKey, uploads } = this.config.limits;
    const mine = this.byKey.get(keyId) ?? 0;
    if (mine >= uploadsPerKey) {
      throw new TooManyRequestsError(
        'TOO_MANY_UPLOADS',
        `${mine} upload(s) of this key are in progress`,
        `本密钥已有 ${mine} 个文件正在上传或处理，请等其完成后再上传`,
        10,
      );
    }
    if (this.total >= uploads)
      throw new TooManyRequestsError('SERVER_BUSY', `${this.total} uploads are in progress`, `服务器正在处理较多上传文件，请稍后再试`, 10);
    this.byKey.set(keyId, mine + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.byKey.get(keyId) ?? 1) - 1;
      if (left > 0) this.byKey.set(keyId, left);
      else this.byKey.delete(keyId);
    };
  }
}

/** Holds an upload slot from before the body is read until the answer is sent. */
@Injectable()
class UploadSlotInterceptor implements NestInterceptor {
  constructor(private readonly slots: UploadSlots) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const principal = principalOf(context.switchToHttp().getRequest<RequestWithPrincipal>());
    const release = this.slots.acquire(principal?.keyId ?? -1);
    try {
      return next.handle().pipe(finalize(release));
    } catch (error) {
      release();
      throw error;
    }
  }
}

/**
 * An endpoint that takes one file (multipart field `file`, at most `maxBytes`): written by multer to
 * a temporary file, never buffered in memory, within the key's and the server's upload slots.
 */
export function FileUpload(maxBytes: number) {
  mkdirSync(UPLOAD_DIR, { recursive: true });
  return applyDecorators(
    SetMetadata(UPLOAD_FIELD, 'file'),
    UseInterceptors(
      UploadSlotInterceptor,
      FileInterceptor('file', {
        storage: diskStorage({ destination: UPLOAD_DIR }),
        limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 12, fieldSize: 64 * 1024 },
      }),
    ),
  );
}

/** A workbook as a download; a Chinese file name travels as RFC 5987 `filename*`, with an ASCII fallback. */
export function download(path: string): StreamableFile {
  const name = basename(path);
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return new StreamableFile(createReadStream(path), {
    type: XLSX,
    disposition: `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
  });
}

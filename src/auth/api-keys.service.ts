import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../domain/clock.js';
import { scopeOf, type Principal, type Role } from '../domain/access.js';
import { DomainError, badInput, companyUnknown } from '../domain/errors.js';
import { ApiKeysRepository, type ApiKeyListing } from './api-keys.repository.js';

export const API_KEY_ROLES: readonly Role[] = ['bureau', 'street', 'company'];
export const ROLE_LABELS: Record<Role, string> = { bureau: '住建局', street: '街道', company: '物业服务企业' };

export const KEY_PREFIX = 'rp_';
/** random base62 characters after the prefix (~256 bits) */
const KEY_RANDOM_CHARS = 43;
/** characters of the key kept in clear to tell keys apart */
const SHOWN_PREFIX_LENGTH = 10;
/** last_used_at is written at most this often per key */
const TOUCH_INTERVAL_MS = 60_000;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_SHAPE = /^rp_[0-9A-Za-z]{20,200}$/;

export interface CreateKeyRequest {
  readonly name: string;
  readonly role: Role;
  readonly streetCode?: string | null;
  readonly uscc?: string | null;
  readonly createdBy: string;
}

export interface CreatedKey {
  readonly id: number;
  /** the key itself: shown once, never stored */
  readonly key: string;
  readonly keyPrefix: string;
}

export type { ApiKeyListing };

/** `rp_` and base62 characters from crypto.randomBytes, without modulo bias. */
export function generateKey(): string {
  let out = KEY_PREFIX;
  while (out.length < KEY_PREFIX.length + KEY_RANDOM_CHARS) {
    for (const byte of randomBytes(64)) {
      if (byte >= 248) continue; // 248 = 4 × 62
      out += BASE62[byte % 62];
      if (out.length === KEY_PREFIX.length + KEY_RANDOM_CHARS) break;
    }
  }
  return out;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function unauthorized(message: string, messageZh: string): DomainError {
  return new DomainError('UNAUTHORIZED', message, messageZh);
}

/** What a key is bound to, as one text: `街道 …`, `企业 …` or `全部`. */
export function bindingText(key: { role: Role; streetCode: string | null; companyUscc: string | null }): string {
  return key.role === 'street' ? `街道 ${key.streetCode}` : key.role === 'company' ? `企业 ${key.companyUscc}` : '全部';
}

/**
 * API keys: created with a role and its binding (a street, a company, or none for the bureau),
 * stored as a SHA-256 hash with a short clear prefix, listed without hashes, revoked, and turned
 * into the principal of a request.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly repository: ApiKeysRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(request: CreateKeyRequest): Promise<CreatedKey> {
    const name = request.name?.trim() ?? '';
    if (name === '' || name.length > 200)
      throw badInput('KEY_NAME_INVALID', 'a key needs a name of 1 to 200 characters', '密钥名称不能为空，且不超过 200 个字符');
    if (!API_KEY_ROLES.includes(request.role)) {
      throw badInput(
        'KEY_ROLE_INVALID',
        `unknown role "${String(request.role)}" (bureau, street, company)`,
        `未知的角色“${String(request.role)}”，可选 bureau（住建局）、street（街道）、company（物业服务企业）`,
      );
    }
    const createdBy = request.createdBy?.trim() ?? '';
    if (createdBy === '') throw badInput('KEY_CREATOR_MISSING', 'who creates the key must be recorded', '必须记录密钥的创建人');
    const streetCode = request.streetCode?.trim() || null;
    const uscc = request.uscc?.trim().toUpperCase() || null;
    await this.checkBinding(request.role, streetCode, uscc);

    const key = generateKey();
    const keyPrefix = key.slice(0, SHOWN_PREFIX_LENGTH);
    const id = await this.repository.insert({
      name,
      role: request.role,
      streetCode: request.role === 'street' ? streetCode : null,
      companyUscc: request.role === 'company' ? uscc : null,
      keyHash: hashKey(key),
      keyPrefix,
      createdBy,
      createdAt: this.clock.now(),
    });
    return { id, key, keyPrefix };
  }

  /** Every key, oldest first, without hashes. */
  list(): Promise<ApiKeyListing[]> {
    return this.repository.list();
  }

  async revoke(id: number, by: string): Promise<ApiKeyListing> {
    const key = await this.repository.findListing(id);
    if (!key) throw new DomainError('KEY_UNKNOWN', `no API key #${id}`, `API 密钥 #${id} 不存在`);
    const revoked = key.revokedAt === null && (await this.repository.revoke(id, this.clock.now(), by));
    if (!revoked) {
      const again = (await this.repository.findListing(id))!;
      throw new DomainError(
        'KEY_ALREADY_REVOKED',
        `API key #${id} was revoked at ${again.revokedAt?.toISOString()}`,
        `API 密钥 #${id}（${key.name}）已于 ${again.revokedAt?.toISOString()} 吊销`,
      );
    }
    return (await this.repository.findListing(id))!;
  }

  /** The principal of a key; `UNAUTHORIZED` for a missing, unknown or revoked key. */
  async authenticate(key: string | null | undefined): Promise<Principal> {
    if (key === null || key === undefined || key.trim() === '') {
      throw unauthorized('API key missing: send the header Authorization: Bearer <key>', '缺少 API 密钥：请在请求头中提供 Authorization: Bearer <密钥>');
    }
    const candidate = key.trim();
    const row = KEY_SHAPE.test(candidate) ? await this.repository.findByHash(hashKey(candidate)) : undefined;
    if (!row) throw unauthorized('invalid API key', 'API 密钥无效');
    if (row.revokedAt !== null)
      throw unauthorized(`API key ${row.keyPrefix}… was revoked`, `API 密钥 ${row.keyPrefix}… 已于 ${row.revokedAt.toISOString()} 吊销`);
    const now = this.clock.now();
    if (row.lastUsedAt === null || now.getTime() - row.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
      await this.repository.touch(row.id, now, new Date(now.getTime() - TOUCH_INTERVAL_MS + 1));
    }
    return { keyId: row.id, name: row.name, role: row.role, scope: scopeOf(row.role, { streetCode: row.streetCode, uscc: row.companyUscc }) };
  }

  private async checkBinding(role: Role, streetCode: string | null, uscc: string | null): Promise<void> {
    const invalid = (message: string, messageZh: string) => badInput('KEY_BINDING_INVALID', message, messageZh);
    if (role === 'bureau') {
      if (streetCode || uscc)
        throw invalid('a bureau key is bound to neither a street nor a company', '住建局（bureau）密钥不绑定街道或企业，请去掉 --street / --company');
      return;
    }
    if (role === 'street') {
      if (uscc) throw invalid('a street key is bound to a street, not a company', '街道（street）密钥只绑定街道，不能指定企业');
      if (!streetCode) throw invalid('a street key needs its street code', '街道（street）密钥必须指定街道编码（--street）');
      if (!(await this.repository.streetExists(streetCode))) throw badInput('STREET_UNKNOWN', `unknown street ${streetCode}`, `街道编码“${streetCode}”不存在`);
      return;
    }
    if (streetCode) throw invalid('a company key is bound to a company, not a street', '企业（company）密钥只绑定企业，不能指定街道');
    if (!uscc) throw invalid('a company key needs the company’s USCC', '企业（company）密钥必须指定统一社会信用代码（--company）');
    if (!(await this.repository.companyExists(uscc))) throw companyUnknown(uscc);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, isNull, lt, or } from 'drizzle-orm';
import { DATABASE, type Database } from '../db/database.js';
import { apiKeys, auditLog, companies, streets } from '../db/schema.js';

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type NewApiKeyRow = typeof apiKeys.$inferInsert;
/** A key as lists show it: everything but the hash. */
export type ApiKeyListing = Omit<ApiKeyRow, 'keyHash'>;

const LISTED = {
  id: apiKeys.id,
  name: apiKeys.name,
  role: apiKeys.role,
  streetCode: apiKeys.streetCode,
  companyUscc: apiKeys.companyUscc,
  keyPrefix: apiKeys.keyPrefix,
  createdBy: apiKeys.createdBy,
  createdAt: apiKeys.createdAt,
  revokedAt: apiKeys.revokedAt,
  lastUsedAt: apiKeys.lastUsedAt,
};

/** The API keys table (and the audit entries of their creation and revocation). */
@Injectable()
export class ApiKeysRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async streetExists(code: string): Promise<boolean> {
    const rows = await this.database.db.select({ id: streets.id }).from(streets).where(eq(streets.code, code)).limit(1);
    return rows.length > 0;
  }

  async companyExists(uscc: string): Promise<boolean> {
    const rows = await this.database.db.select({ id: companies.id }).from(companies).where(eq(companies.uscc, uscc)).limit(1);
    return rows.length > 0;
  }

  /** Stores the key and its audit entry together; returns the new id. */
  async insert(row: NewApiKeyRow): Promise<number> {
    return this.database.transaction(async (unit) => {
      const [created] = await unit.db.insert(apiKeys).values(row).returning({ id: apiKeys.id });
      await unit.db.insert(auditLog).values({
        at: row.createdAt,
        actor: row.createdBy,
        action: 'api_key.create',
        subject: `API 密钥 #${created.id}`,
        details: { name: row.name, role: row.role, streetCode: row.streetCode ?? null, uscc: row.companyUscc ?? null, keyPrefix: row.keyPrefix },
      });
      return created.id;
    });
  }

  async list(): Promise<ApiKeyListing[]> {
    return this.database.db.select(LISTED).from(apiKeys).orderBy(asc(apiKeys.id));
  }

  async findListing(id: number): Promise<ApiKeyListing | undefined> {
    const [row] = await this.database.db.select(LISTED).from(apiKeys).where(eq(apiKeys.id, id));
    return row;
  }

  async findByHash(keyHash: string): Promise<ApiKeyRow | undefined> {
    const [row] = await this.database.db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash));
    return row;
  }

  /** Sets revoked_at unless already set; false when the key was revoked before (or is unknown). */
  async revoke(id: number, at: Date, by: string): Promise<boolean> {
    return this.database.transaction(async (unit) => {
      const revoked = await unit.db
        .update(apiKeys)
        .set({ revokedAt: at })
        .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
        .returning({ id: apiKeys.id, name: apiKeys.name, keyPrefix: apiKeys.keyPrefix });
      if (revoked.length === 0) return false;
      await unit.db
        .insert(auditLog)
        .values({ at, actor: by, action: 'api_key.revoke', subject: `API 密钥 #${id}`, details: { name: revoked[0].name, keyPrefix: revoked[0].keyPrefix } });
      return true;
    });
  }

  /** Records a use, writing only when the stored time is older than `staleBefore` (one write a minute at most). */
  async touch(id: number, at: Date, staleBefore: Date): Promise<void> {
    await this.database.db
      .update(apiKeys)
      .set({ lastUsedAt: at })
      .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))));
  }
}

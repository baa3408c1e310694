import 'reflect-metadata';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { asc, eq } from 'drizzle-orm';
import request from 'supertest';
import { DomainErrorFilter } from '../src/api/domain-error.filter.js';
import { createHttpApp } from '../src/api/http-app.js';
import { ApiKeysService, hashKey } from '../src/auth/api-keys.service.js';
import { AuthGuard } from '../src/auth/auth.guard.js';
import { AuthModule } from '../src/auth/auth.module.js';
import { CurrentPrincipal } from '../src/auth/principal.decorator.js';
import { Public } from '../src/auth/public.decorator.js';
import { Roles } from '../src/auth/roles.decorator.js';
import { ConfigModule } from '../src/config/config.module.js';
import { DatabaseModule } from '../src/db/database.module.js';
import type { Database } from '../src/db/database.js';
import { apiKeys, auditLog, companies, streets } from '../src/db/schema.js';
import type { Principal } from '../src/domain/access.js';
import { SeedService } from '../src/seeding/seed.service.js';
import { TestClock, testConfig } from './support/app.js';
import { describeEachBackend } from './support/backends.js';

const T0 = new Date('2025-08-01T08:00:00.000Z');

/** A test-only controller: one public route, one for every key, one for the bureau only. */
@Controller('probe')
class ProbeController {
  @Get('open')
  @Public()
  open() {
    return { open: true };
  }

  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return principal;
  }

  @Get('bureau')
  @Roles('bureau')
  bureau(@CurrentPrincipal() principal: Principal) {
    return { name: principal.name };
  }
}

async function probeApp(database: Database, clock: TestClock): Promise<INestApplication> {
  @Module({
    imports: [ConfigModule.forConfig(testConfig(), clock), DatabaseModule.withDatabase(database), AuthModule],
    controllers: [ProbeController],
    providers: [{ provide: APP_GUARD, useExisting: AuthGuard }],
  })
  class ProbeModule {}
  const app = await NestFactory.create(ProbeModule, { logger: false });
  app.useGlobalFilters(new DomainErrorFilter());
  await app.init();
  return app;
}

describeEachBackend('API keys', ({ database }) => {
  const clock = new TestClock();
  let app: INestApplication;
  let probe: INestApplication;
  let keys: ApiKeysService;
  let streetA: string;
  let streetB: string;
  let usccA: string;

  beforeAll(async () => {
    clock.fixed = T0;
    app = await createHttpApp({ config: testConfig(), database: database(), clock }, false);
    await app.init();
    await app.get(SeedService).seed({ scale: 'demo', seed: 1, replace: true });
    keys = app.get(ApiKeysService);
    [streetA, streetB] = (await database().db.select({ code: streets.code }).from(streets).orderBy(asc(streets.code)).limit(2)).map((s) => s.code) as [
      string,
      string,
    ];
    usccA = (await database().db.select({ uscc: companies.uscc }).from(companies).orderBy(asc(companies.uscc)).limit(1))[0].uscc;
    probe = await probeApp(database(), clock);
  });
  afterAll(async () => {
    await probe?.close();
    await app?.close();
  });

  describe('the service', () => {
    it('creates a key of each role, stores only its hash and a prefix, and turns it into a scoped principal', async () => {
      const bureau = await keys.create({ name: '住建局 张三', role: 'bureau', createdBy: 'test' });
      const street = await keys.create({ name: '街道办', role: 'street', streetCode: streetA, createdBy: 'test' });
      const company = await keys.create({ name: '某物业', role: 'company', uscc: usccA, createdBy: 'test' });
      for (const created of [bureau, street, company]) expect(created.key).toMatch(/^rp_[0-9A-Za-z]{40,}$/);
      expect(new Set([bureau.key, street.key, company.key]).size).toBe(3);

      const [stored] = await database().db.select().from(apiKeys).where(eq(apiKeys.id, street.id));
      expect(stored).toMatchObject({
        keyHash: hashKey(street.key),
        keyPrefix: street.key.slice(0, 10),
        streetCode: streetA,
        companyUscc: null,
        createdAt: T0,
        revokedAt: null,
        lastUsedAt: null,
      });
      expect(stored.keyHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(await database().db.select().from(apiKeys))).not.toContain(street.key);

      await expect(keys.authenticate(bureau.key)).resolves.toEqual({ keyId: bureau.id, name: '住建局 张三', role: 'bureau', scope: { kind: 'all' } });
      await expect(keys.authenticate(street.key)).resolves.toEqual({
        keyId: street.id,
        name: '街道办',
        role: 'street',
        scope: { kind: 'street', streetCode: streetA },
      });
      await expect(keys.authenticate(company.key)).resolves.toEqual({
        keyId: company.id,
        name: '某物业',
        role: 'company',
        scope: { kind: 'company', uscc: usccA },
      });

      const audit = await database().db.select().from(auditLog).where(eq(auditLog.action, 'api_key.create'));
      expect(audit.map((a) => a.subject)).toEqual(expect.arrayContaining([`API 密钥 #${bureau.id}`, `API 密钥 #${street.id}`, `API 密钥 #${company.id}`]));
      expect(JSON.stringify(audit)).not.toContain(bureau.key);
    });

    it('lists keys without hashes', async () => {
      const listed = await keys.list();
      expect(listed.length).toBeGreaterThanOrEqual(3);
      for (const key of listed) expect(key).not.toHaveProperty('keyHash');
      expect(listed.map((k) => k.role)).toEqual(expect.arrayContaining(['bureau', 'street', 'company']));
    });

    it('records the last use at most once a minute', async () => {
      const { id, key } = await keys.create({ name: 'touch', role: 'bureau', createdBy: 'test' });
      const lastUsed = async () => (await keys.list()).find((k) => k.id === id)!.lastUsedAt;
      clock.fixed = new Date(T0.getTime() + 1000);
      await keys.authenticate(key);
      expect(await lastUsed()).toEqual(clock.fixed);
      clock.fixed = new Date(T0.getTime() + 30_000);
      await keys.authenticate(key);
      expect(await lastUsed()).toEqual(new Date(T0.getTime() + 1000));
      clock.fixed = new Date(T0.getTime() + 61_000);
      await keys.authenticate(key);
      expect(await lastUsed()).toEqual(clock.fixed);
      clock.fixed = T0;
    });

    it('refuses a revoked key, and revoking twice is a conflict', async () => {
      const { id, key } = await keys.create({ name: 'to revoke', role: 'company', uscc: usccA, createdBy: 'test' });
      await keys.authenticate(key);
      const revoked = await keys.revoke(id, 'test');
      expect(revoked).toMatchObject({ id, revokedAt: T0 });
      await expect(keys.authenticate(key)).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        category: 'unauthorized',
        messageZh: expect.stringContaining('吊销'),
      });
      await expect(keys.revoke(id, 'test')).rejects.toMatchObject({ code: 'KEY_ALREADY_REVOKED', category: 'conflict' });
      await expect(keys.revoke(999_999, 'test')).rejects.toMatchObject({ code: 'KEY_UNKNOWN', category: 'not_found' });
      expect(await database().db.select().from(auditLog).where(eq(auditLog.action, 'api_key.revoke'))).toHaveLength(1);
    });

    it('refuses missing, malformed and unknown keys', async () => {
      for (const key of [undefined, null, '', '   '])
        await expect(keys.authenticate(key)).rejects.toMatchObject({ code: 'UNAUTHORIZED', messageZh: expect.stringContaining('缺少') });
      for (const key of ['nonsense', `rp_${'x'.repeat(43)}`, 'rp_short'])
        await expect(keys.authenticate(key)).rejects.toMatchObject({ code: 'UNAUTHORIZED', messageZh: 'API 密钥无效' });
    });

    it('refuses a wrong binding, an unknown street or company, a bad role or name, and writes nothing', async () => {
      const before = (await keys.list()).length;
      const attempts: [Parameters<ApiKeysService['create']>[0], string][] = [
        [{ name: 'x', role: 'bureau', streetCode: streetA, createdBy: 't' }, 'KEY_BINDING_INVALID'],
        [{ name: 'x', role: 'bureau', uscc: usccA, createdBy: 't' }, 'KEY_BINDING_INVALID'],
        [{ name: 'x', role: 'street', createdBy: 't' }, 'KEY_BINDING_INVALID'],
        [{ name: 'x', role: 'street', streetCode: streetA, uscc: usccA, createdBy: 't' }, 'KEY_BINDING_INVALID'],
        [{ name: 'x', role: 'company', createdBy: 't' }, 'KEY_BINDING_INVALID'],
        [{ name: 'x', role: 'company', uscc: usccA, streetCode: streetB, createdBy: 't' }, 'KEY_BINDING_INVALID'],
        [{ name: 'x', role: 'street', streetCode: 'NO-SUCH-STREET', createdBy: 't' }, 'STREET_UNKNOWN'],
        [{ name: 'x', role: 'company', uscc: '000000000000000000', createdBy: 't' }, 'COMPANY_UNKNOWN'],
        [{ name: 'x', role: 'admin' as never, createdBy: 't' }, 'KEY_ROLE_INVALID'],
        [{ name: '  ', role: 'bureau', createdBy: 't' }, 'KEY_NAME_INVALID'],
      ];
      for (const [attempt, code] of attempts)
        await expect(keys.create(attempt)).rejects.toMatchObject({ code, messageZh: expect.stringMatching(/[\u4e00-\u9fff]/) });
      expect((await keys.list()).length).toBe(before);
    });
  });

  describe('over HTTP', () => {
    it('answers 401 with a coded body without a key or with a bad one, 200 with a valid key', async () => {
      const server = app.getHttpServer();
      const missing = await request(server).get('/runs').expect(401);
      expect(missing.body).toMatchObject({ code: 'UNAUTHORIZED', messageZh: expect.stringContaining('缺少 API 密钥') });
      const bad = await request(server)
        .get('/runs')
        .set('Authorization', `Bearer rp_${'A'.repeat(43)}`)
        .expect(401);
      expect(bad.body).toMatchObject({ code: 'UNAUTHORIZED', messageZh: 'API 密钥无效' });
      const notBearer = await request(server).get('/runs').set('Authorization', 'Basic dXNlcjpwYXNz').expect(401);
      expect(notBearer.body).toMatchObject({ code: 'UNAUTHORIZED' });
      const { key } = await keys.create({ name: 'http', role: 'bureau', createdBy: 'test' });
      await request(server).get('/runs').set('Authorization', `Bearer ${key}`).expect(200);
      await request(server).get('/runs').set('authorization', `bearer ${key}`).expect(200);
    });

    it('refuses a revoked key over HTTP', async () => {
      const { id, key } = await keys.create({ name: 'revoked over http', role: 'bureau', createdBy: 'test' });
      await request(app.getHttpServer()).get('/runs').set('Authorization', `Bearer ${key}`).expect(200);
      await keys.revoke(id, 'test');
      const refused = await request(app.getHttpServer()).get('/runs').set('Authorization', `Bearer ${key}`).expect(401);
      expect(refused.body.code).toBe('UNAUTHORIZED');
    });

    it('lets public routes through, gives the principal to the route, and keeps @Roles routes to their roles (403 coded)', async () => {
      const server = probe.getHttpServer();
      const company = await keys.create({ name: '企业密钥', role: 'company', uscc: usccA, createdBy: 'test' });
      const street = await keys.create({ name: '街道密钥', role: 'street', streetCode: streetB, createdBy: 'test' });
      const bureau = await keys.create({ name: '局密钥', role: 'bureau', createdBy: 'test' });

      expect((await request(server).get('/probe/open').expect(200)).body).toEqual({ open: true });
      await request(server).get('/probe/me').expect(401);
      expect((await request(server).get('/probe/me').set('Authorization', `Bearer ${street.key}`).expect(200)).body).toEqual({
        keyId: street.id,
        name: '街道密钥',
        role: 'street',
        scope: { kind: 'street', streetCode: streetB },
      });

      const forbidden = await request(server).get('/probe/bureau').set('Authorization', `Bearer ${company.key}`).expect(403);
      expect(forbidden.body).toMatchObject({ code: 'FORBIDDEN_ROLE', messageZh: expect.stringContaining('物业服务企业（company）') });
      await request(server).get('/probe/bureau').set('Authorization', `Bearer ${street.key}`).expect(403);
      expect((await request(server).get('/probe/bureau').set('Authorization', `Bearer ${bureau.key}`).expect(200)).body).toEqual({ name: '局密钥' });
      await request(server).get('/probe/bureau').expect(401);
    });

    it('keeps bureau-only API routes from a company key (403 before the body is read)', async () => {
      const company = await keys.create({ name: '企业密钥 2', role: 'company', uscc: usccA, createdBy: 'test' });
      const response = await request(app.getHttpServer()).post('/runs').set('Authorization', `Bearer ${company.key}`).send({ period: '2025' }).expect(403);
      expect(response.body.code).toBe('FORBIDDEN_ROLE');
    });
  });
});

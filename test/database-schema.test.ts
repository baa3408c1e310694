import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { runInApp } from '../src/cli/cli-context.js';
import { DatabaseAdminService } from '../src/db/database-admin.service.js';
import { assertMigrated, migrationState } from '../src/db/database.js';
import { TemplateService } from '../src/intake/excel/template.service.js';
import { createTestBackend, testBackendNames } from './support/backends.js';

describe('a command on a database without the schema', () => {
  let dir: string;
  const saved = { env: { ...process.env }, exitCode: process.exitCode };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redprop-schema-'));
  });
  afterAll(async () => {
    process.env = saved.env;
    process.exitCode = saved.exitCode;
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs a CLI command the way `redprop` does and returns its exit code and what it wrote to stderr. */
  async function cli(migratesSchema: boolean, command: Parameters<typeof runInApp>[1]) {
    process.env = { ...saved.env, REDPROP_PGLITE_DIR: join(dir, 'pglite'), REDPROP_REPORTS_DIR: join(dir, 'reports') };
    delete process.env.DATABASE_URL;
    let stderr = '';
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((text) => {
      stderr += String(text);
      return true;
    });
    try {
      await runInApp({ migratesSchema }, command);
      return { exitCode: process.exitCode, stderr };
    } finally {
      write.mockRestore();
      process.exitCode = undefined;
    }
  }

  it('`redprop template surveys` names the command to run first, with a code and no stack', async () => {
    const result = await cli(false, async (app) => {
      await app.get(TemplateService).writeTemplate('surveys');
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('错误 [DATABASE_NOT_MIGRATED] 数据库尚未初始化（还没有建表）：请先运行 redprop db:migrate');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a command that migrates the database itself starts, and after it the others do', async () => {
    expect(await cli(true, (app) => app.get(DatabaseAdminService).migrate())).toEqual({ exitCode: 0, stderr: '' });
    let path = '';
    expect(
      await cli(false, async (app) => {
        path = (await app.get(TemplateService).writeTemplate('surveys')).path;
      }),
    ).toEqual({ exitCode: 0, stderr: '' });
    expect(path).toBe(join(dir, 'reports', 'templates', 'surveys.xlsx'));
  });
});

for (const name of testBackendNames()) {
  describe(`the migration state [${name}]`, () => {
    const backend = createTestBackend(name);
    afterAll(() => backend.dispose());

    it('counts the committed migrations applied and refuses a database that lacks one', async () => {
      const database = await backend.open();
      const state = await migrationState(database);
      expect(state.applied).toBe(state.committed);
      await expect(assertMigrated(database)).resolves.toBeUndefined();
      await database.db.execute(sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`);
      await expect(assertMigrated(database)).rejects.toMatchObject({
        code: 'DATABASE_MIGRATIONS_PENDING',
        messageZh: `数据库结构版本落后（已应用 ${state.committed - 1} 个迁移，共 ${state.committed} 个）：请先运行 redprop db:migrate`,
      });
    });
  });
}

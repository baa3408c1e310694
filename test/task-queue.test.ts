import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PgBoss from 'pg-boss';
import postgres from 'postgres';
import { inArray } from 'drizzle-orm';
import { ApiKeysService } from '../src/auth/api-keys.service.js';
import { MIGRATIONS_FOLDER, openPglite, openPostgres, type Database } from '../src/db/database.js';
import { tasks as taskRows } from '../src/db/schema.js';
import { SeedService } from '../src/seeding/seed.service.js';
import { createTestApp, testConfig } from './support/app.js';
import { builtCli } from './support/built-cli.js';
import { testBackendNames } from './support/backends.js';

/** The pg-boss part of a SQL text, whitespace and empty statements normalised (DDL written two ways). */
function pgbossDdl(text: string): string {
  const from = text.indexOf('CREATE SCHEMA IF NOT EXISTS pgboss');
  const to = text.lastIndexOf('COMMIT;');
  return text
    .slice(from, to > from ? to : undefined)
    .replace(/--> statement-breakpoint/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*;(\s*;)*/g, ';')
    .trim();
}

describe('the task queue’s schema', () => {
  it('is the construction plan of the installed pg-boss, committed as migration 0005', () => {
    const migration = pgbossDdl(readFileSync(join(MIGRATIONS_FOLDER, '0005_tasks_queue.sql'), 'utf8'));
    // an upgrade of pg-boss that changes its schema needs a new migration (PgBoss.getMigrationPlans)
    expect(migration).toBe(pgbossDdl(PgBoss.getConstructionPlans('pgboss')));
    expect(migration).toContain("INSERT INTO pgboss.version(version) VALUES ('24')");
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

for (const backendName of testBackendNames()) {
  describe(`a server killed with tasks queued [${backendName}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'redprop-restart-'));
    const serverUrl = process.env.TEST_DATABASE_URL?.trim();
    const dbName = `redprop_restart_${process.pid}`;
    const databaseUrl = serverUrl ? Object.assign(new URL(serverUrl), { pathname: `/${dbName}` }).toString() : '';
    const env = (port: number): NodeJS.ProcessEnv => ({
      ...process.env,
      ...(backendName === 'postgres' ? { DATABASE_URL: databaseUrl } : { REDPROP_PGLITE_DIR: join(dir, 'pglite'), DATABASE_URL: '' }),
      REDPROP_REPORTS_DIR: join(dir, 'reports'),
      REDPROP_INSTANCE: 'restart-test',
      REDPROP_SCHEDULER: 'off',
      REDPROP_HEAVY_TASKS: '1',
      REDPROP_TASK_POLL_MS: '500',
      REDPROP_LOG_FORMAT: 'json',
      PORT: String(port),
    });
    const open = (): Promise<Database> => (backendName === 'postgres' ? openPostgres(databaseUrl) : openPglite(join(dir, 'pglite')));
    let key = '';
    let cli = '';

    beforeAll(async () => {
      cli = builtCli();
      if (backendName === 'postgres') {
        const admin = postgres(serverUrl!, { max: 1, onnotice: () => undefined });
        await admin.unsafe(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
        await admin.unsafe(`CREATE DATABASE "${dbName}"`);
        await admin.end();
      }
      const database = await open();
      await database.migrate();
      const app = await createTestApp(database, testConfig({ reportsDir: join(dir, 'reports') }));
      await app.get(SeedService).seed({ scale: 'demo', seed: 1, replace: true });
      key = (await app.get(ApiKeysService).create({ name: 'restart test', role: 'bureau', createdBy: 'test' })).key;
      await app.close();
      await database.close();
    }, 300_000);
    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      if (backendName === 'postgres') {
        const admin = postgres(serverUrl!, { max: 1, onnotice: () => undefined });
        await admin.unsafe(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
        await admin.end();
      }
    });

    /** `redprop serve` as its own process, answered once it listens. */
    async function serve(): Promise<{ child: ChildProcess; base: string; exited: Promise<void>; output: () => string }> {
      const port = await freePort();
      const child = spawn(process.execPath, [cli, 'serve'], { env: env(port), stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk) => (output += String(chunk)));
      child.stderr.on('data', (chunk) => (output += String(chunk)));
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 120_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`redprop serve exited: ${output}`);
        if (Date.now() > deadline) throw new Error(`redprop serve did not answer: ${output}`);
        try {
          if ((await fetch(`${base}/health`)).ok) return { child, base, exited, output: () => output };
        } catch {
          // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }

    const api = (base: string, path: string, init: RequestInit = {}) =>
      fetch(`${base}${path}`, { ...init, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...init.headers } });

    it('runs the queued tasks after the restart and fails the one it was running', async () => {
      const first = await serve();
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) {
        const response = await api(first.base, '/runs', { method: 'POST', body: JSON.stringify({ period: '2025' }) });
        expect(response.status).toBe(202);
        ids.push(((await response.json()) as { id: number }).id);
      }
      // killed (no shutdown of any kind) while the first task runs and the others wait: told by the
      // server's log, not by asking it (on PGlite a request waits while a task holds the one connection)
      while (!first.output().includes(`task ${ids[0]} (assessment) started`)) await new Promise((resolve) => setTimeout(resolve, 5));
      first.child.kill('SIGKILL');
      await first.exited;

      // what the dead server left, read from the database itself
      const database = await open();
      const left = new Map(
        (await database.db.select({ id: taskRows.id, status: taskRows.status }).from(taskRows).where(inArray(taskRows.id, ids))).map((r) => [r.id, r.status]),
      );
      await database.close();
      const queuedAtKill = ids.filter((id) => left.get(id) === 'queued');
      const runningAtKill = ids.filter((id) => left.get(id) === 'running');
      expect(queuedAtKill.length).toBeGreaterThanOrEqual(1);

      const second = await serve();
      try {
        const settled = new Map<number, { status: string; error: { code: string } | null }>();
        const deadline = Date.now() + 240_000;
        while (settled.size < ids.length && Date.now() < deadline) {
          for (const id of ids) {
            const task = (await (await api(second.base, `/tasks/${id}`)).json()) as { status: string; error: { code: string } | null };
            if (task.status === 'succeeded' || task.status === 'failed') settled.set(id, task);
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        // what the server logged (but the requests) goes with a failure: a task that never settles says why there
        const log =
          settled.size < ids.length
            ? [first.output(), second.output()]
                .map((output) =>
                  output
                    .split('\n')
                    .filter((line) => !line.includes('"context":"HTTP"'))
                    .join('\n'),
                )
                .join('\n--- restarted ---\n')
                .slice(-8000)
            : '';
        for (const id of queuedAtKill) expect({ id, status: settled.get(id)?.status, log }).toEqual({ id, status: 'succeeded', log: '' });
        for (const id of runningAtKill)
          expect({ id, status: settled.get(id)?.status, code: settled.get(id)?.error?.code }).toEqual({ id, status: 'failed', code: 'TASK_INTERRUPTED' });
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    }, 600_000);
  });
}

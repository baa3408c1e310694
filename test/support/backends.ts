import postgres from 'postgres';
import { openPglite, openPostgres, type Database } from '../../src/db/database.js';

/**
 * Database tests run on embedded PGlite always and, when TEST_DATABASE_URL names a server,
 * on PostgreSQL too. Each test file gets its own fresh database (one PGlite instance, or a
 * new database on the server), migrated, and dropped at the end.
 */
export interface TestBackend {
  readonly name: 'pglite' | 'postgres';
  open(): Promise<Database>;
  dispose(): Promise<void>;
  /** a connection URL for processes outside the test (postgres only) */
  readonly url?: string;
}

const serverUrl = process.env.TEST_DATABASE_URL?.trim() || undefined;

export function testBackendNames(): ('pglite' | 'postgres')[] {
  return serverUrl ? ['pglite', 'postgres'] : ['pglite'];
}

export function createTestBackend(name: 'pglite' | 'postgres'): TestBackend {
  if (name === 'pglite') {
    let database: Database | undefined;
    return {
      name,
      async open() {
        database = await openPglite(null);
        await database.migrate();
        return database;
      },
      async dispose() {
        await database?.close();
      },
    };
  }
  const dbName = `redprop_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const url = new URL(serverUrl!);
  url.pathname = `/${dbName}`;
  let database: Database | undefined;
  return {
    name,
    url: url.toString(),
    async open() {
      const admin = postgres(serverUrl!, { max: 1, onnotice: () => undefined });
      try {
        await admin.unsafe(`CREATE DATABASE "${dbName}"`);
      } finally {
        await admin.end();
      }
      database = await openPostgres(url.toString());
      await database.migrate();
      return database;
    },
    async dispose() {
      await database?.close();
      const admin = postgres(serverUrl!, { max: 1, onnotice: () => undefined });
      try {
        await admin.unsafe(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** `describe` once per available backend, with a migrated database shared by the file's tests. */
export function describeEachBackend(title: string, body: (context: { database: () => Database; backend: TestBackend }) => void): void {
  for (const name of testBackendNames()) {
    describe(`${title} [${name}]`, () => {
      const backend = createTestBackend(name);
      let database: Database | undefined;
      beforeAll(async () => {
        database = await backend.open();
      });
      afterAll(async () => {
        await backend.dispose();
      });
      body({
        database: () => {
          if (!database) throw new Error('database not open yet');
          return database;
        },
        backend,
      });
    });
  }
}

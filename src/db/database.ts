import { mkdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { getTableColumns, getTableName, sql, type SQL, type Table } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTable } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres, { type Sql } from 'postgres';
import type { DatabaseConfig } from '../config/app-config.js';
import { DomainError } from '../domain/errors.js';
import { packageRoot } from '../config/paths.js';
import * as schema from './schema.js';

export type AppDb = PgDatabase<PgQueryResultHKT, typeof schema>;
export type BackendKind = 'pglite' | 'postgres';

/** Appends rows to one table inside a transaction, as fast as the backend allows. */
export interface BulkWriter<T extends PgTable> {
  /** Returns a promise only when the caller must wait (a full buffer is being flushed). */
  add(row: T['$inferInsert']): Promise<void> | undefined;
  /** Flushes what is left; resolves to the number of rows written. */
  finish(): Promise<number>;
}

export interface UnitOfWork {
  readonly db: AppDb;
  bulkWriter<T extends PgTable>(table: T): BulkWriter<T>;
}

/** Runs a query (raw SQL) and answers with its result, as `AppDb.execute` does. */
export interface SnapshotReader {
  execute(query: SQL): PromiseLike<unknown>;
}

/** The one database handle of the application: embedded PGlite or a PostgreSQL server. */
export interface Database {
  readonly kind: BackendKind;
  readonly db: AppDb;
  /** All or nothing: the work's writes land together or not at all. */
  transaction<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T>;
  /**
   * Reads that see one snapshot: a REPEATABLE READ READ ONLY transaction. `concurrent` runs a query
   * in that same snapshot on another connection (PostgreSQL: the snapshot exported and imported),
   * so independent reads go side by side; on PGlite (one connection) it is the transaction itself.
   */
  snapshot<T>(work: (db: AppDb, concurrent: SnapshotReader) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  /**
   * Plain SQL with positional parameters, for a library that brings its own (the task queue): a text
   * without parameters may hold several statements.
   */
  executeSql(text: string, values?: readonly unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
}

export const DATABASE = Symbol('DATABASE');

export const MIGRATIONS_FOLDER = join(packageRoot(), 'src', 'db', 'migrations');

const SNAPSHOT = { isolationLevel: 'repeatable read', accessMode: 'read only' } as const;
const PGLITE_BATCH_ROWS = 2000;
const COPY_CHUNK_ROWS = 5000;

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.kind === 'postgres' ? openPostgres(config.url) : openPglite(config.dataDir);
}

/** How many of the committed migrations the database has applied. */
export async function migrationState(database: Database): Promise<{ applied: number; committed: number }> {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  const committed = journal.entries.map((e) => e.when);
  const [table] = resultRows<{ name: string | null }>(await database.db.execute(sql`select to_regclass('drizzle.__drizzle_migrations')::text as name`));
  if (!table?.name) return { applied: 0, committed: committed.length };
  const rows = resultRows<{ created_at: string | number }>(await database.db.execute(sql`select created_at from drizzle.__drizzle_migrations`));
  const appliedAt = new Set(rows.map((r) => Number(r.created_at)));
  return { applied: committed.filter((when) => appliedAt.has(when)).length, committed: committed.length };
}

/** Refuses, with the command to run, a database that lacks committed migrations. */
export async function assertMigrated(database: Database): Promise<void> {
  const { applied, committed } = await migrationState(database);
  if (applied === committed) return;
  if (applied === 0) {
    throw new DomainError(
      'DATABASE_NOT_MIGRATED',
      'the database has no schema yet: run `redprop db:migrate` first (or `npm run demo` for the demo data)',
      '数据库尚未初始化（还没有建表）：请先运行 redprop db:migrate（或运行 npm run demo 生成演示数据）',
    );
  }
  throw new DomainError(
    'DATABASE_MIGRATIONS_PENDING',
    `the database has ${applied} of the ${committed} committed migrations: run \`redprop db:migrate\` first`,
    `数据库结构版本落后（已应用 ${applied} 个迁移，共 ${committed} 个）：请先运行 redprop db:migrate`,
  );
}

export async function openPglite(dataDir: string | null): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzlePglite({ client, schema }) as unknown as AppDb;
  return {
    kind: 'pglite',
    db,
    transaction: (work) => db.transaction((tx) => work({ db: tx, bulkWriter: (table) => batchedInsertWriter(tx as unknown as AppDb, table) })),
    snapshot: (work) => db.transaction((tx) => work(tx as unknown as AppDb, tx), SNAPSHOT),
    migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    executeSql: async (text, values) =>
      values && values.length > 0 ? { rows: (await client.query(text, [...values])).rows } : { rows: (await client.exec(text)).at(-1)?.rows ?? [] },
    close: () => client.close(),
  };
}

export async function openPostgres(url: string): Promise<Database> {
  // JIT off: the planner's cost of a street's scan over province tables crosses the JIT threshold and
  // compiling took 714 of 738 ms of a 50-project street's digest; no query of redprop gains from it
  // `socket` is documented (README, "Custom socket") but missing from postgres.js 3.4.9's types:
  // passed through a variable, which TypeScript does not check for unknown properties
  const options = { max: 4, onnotice: () => undefined, connection: { jit: 'off' }, socket: noDelaySocket };
  const client = postgres(url, options);
  const db = drizzlePostgres({ client, schema }) as unknown as AppDb;
  return {
    kind: 'postgres',
    db,
    transaction: (work) =>
      db.transaction((tx) => {
        // COPY needs the transaction's own postgres.js connection, which drizzle keeps on its session.
        const connection = (tx as unknown as { session: { client: Sql } }).session.client;
        return work({ db: tx, bulkWriter: (table) => copyWriter(connection, table) });
      }),
    snapshot: (work) =>
      db.transaction(async (tx) => {
        const [{ id }] = resultRows<{ id: string }>(await tx.execute(sql`select pg_export_snapshot() as id`));
        if (!/^[0-9A-F-]+$/.test(id)) throw new Error(`unexpected snapshot id ${id}`);
        // valid while the exporting transaction is open, which it is until `work` ends
        const concurrent: SnapshotReader = {
          execute: (query) =>
            db.transaction(async (reader) => {
              await reader.execute(sql.raw(`set transaction snapshot '${id}'`));
              return reader.execute(query);
            }, SNAPSHOT),
        };
        return work(tx, concurrent);
      }, SNAPSHOT),
    migrate: () => migratePostgres(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    executeSql: async (text, values) =>
      values && values.length > 0
        ? { rows: [...(await client.unsafe(text, values.map(jsonParameter) as never[]))] }
        : { rows: [...(await client.unsafe(text).simple())] },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * A connected socket with Nagle's algorithm off. postgres.js 3.4.9 never calls setNoDelay (no
 * upstream issue found), so a message written in pieces (a COPY's data, then CopyDone and Sync)
 * waits for the server's delayed ACK: measured here, 54 ms per COPY statement against 7 ms with
 * TCP_NODELAY, as libpq sets it. Hosts are tried in order, as postgres.js does; a unix socket has no Nagle.
 */
async function noDelaySocket(options: { host: string[]; port: number[]; path?: string | false }): Promise<Socket> {
  const attempt = (target: { path: string } | { host: string; port: number }) =>
    new Promise<Socket>((resolve, reject) => {
      const socket = connect('path' in target ? target : { ...target, noDelay: true });
      socket.setTimeout(CONNECT_TIMEOUT_MS, () => socket.destroy(new Error(`connect timeout ${JSON.stringify(target)}`)));
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.setTimeout(0);
        socket.off('error', reject);
        resolve(socket);
      });
    });
  if (options.path) return attempt({ path: options.path });
  let failure: unknown;
  for (let i = 0; i < options.host.length; i++) {
    try {
      return await attempt({ host: options.host[i], port: options.port[i] ?? options.port[0] });
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}

const CONNECT_TIMEOUT_MS = 30_000;

/** postgres.js takes an object parameter only as JSON text, and no undefined (node-postgres does both by itself). */
function jsonParameter(value: unknown): unknown {
  if (value === undefined) return null;
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !Buffer.isBuffer(value)
    ? JSON.stringify(value)
    : value;
}

function batchedInsertWriter<T extends PgTable>(db: AppDb, table: T): BulkWriter<T> {
  return bufferedWriter(PGLITE_BATCH_ROWS, async (rows) => {
    await db.insert(table).values(rows as never);
  });
}

/** Collects rows and hands them on in batches of `size`. */
export function bufferedWriter<T extends PgTable>(size: number, write: (rows: T['$inferInsert'][]) => Promise<void>): BulkWriter<T> {
  let buffer: T['$inferInsert'][] = [];
  let written = 0;
  const flush = async () => {
    if (buffer.length === 0) return;
    const rows = buffer;
    buffer = [];
    await write(rows);
    written += rows.length;
  };
  return {
    add(row) {
      buffer.push(row);
      return buffer.length >= size ? flush() : undefined;
    },
    async finish() {
      await flush();
      return written;
    },
  };
}

/** `COPY ... FROM STDIN` in text format through postgres.js, in chunks with back-pressure. */
function copyWriter<T extends PgTable>(sql: Sql, table: T): BulkWriter<T> {
  const columnNames = new Map(Object.entries(getTableColumns(table as Table)).map(([key, column]) => [key, column.name]));
  type CopyStream = Awaited<ReturnType<ReturnType<Sql['unsafe']>['writable']>>;
  let stream: CopyStream | undefined;
  let failure: Error | undefined;
  const waiters = new Set<(error: Error) => void>();
  const fail = (error: Error) => {
    failure ??= error;
    for (const reject of waiters) reject(failure);
  };
  // Column order is taken from the first row; columns it leaves out (serial ids) keep their defaults.
  let keys: string[] | undefined;
  let lines: string[] = [];
  let written = 0;

  const open = async (): Promise<CopyStream> => {
    if (stream) return stream;
    const names = keys!.map((key) => `"${columnNames.get(key)}"`).join(', ');
    const query = sql.unsafe(`COPY "${getTableName(table as Table)}" (${names}) FROM STDIN`) as ReturnType<Sql['unsafe']> & {
      reject: (error: Error) => void;
    };
    // postgres.js 3.4.9 drops an error that arrives after CopyDone (porsager/postgres#1173): the
    // stream never finishes. The server error still reaches the query's reject, so listen there.
    const reject = query.reject;
    query.reject = (error: Error) => {
      fail(error);
      reject(error);
    };
    stream = await query.writable();
    stream.on('error', fail);
    return stream;
  };
  const settle = (target: CopyStream, event: 'drain' | 'finish') =>
    new Promise<void>((resolve, reject) => {
      if (failure) return reject(failure);
      const done = () => {
        waiters.delete(reject);
        resolve();
      };
      waiters.add(reject);
      target.once(event, done);
    });
  const flush = async () => {
    if (lines.length === 0) return;
    const chunk = lines.join('');
    written += lines.length;
    lines = [];
    const target = await open();
    if (failure) throw failure;
    if (!target.write(chunk)) await settle(target, 'drain');
  };
  return {
    add(row) {
      const record = row as Record<string, unknown>;
      keys ??= Object.keys(record).filter((key) => columnNames.has(key) && record[key] !== undefined);
      let line = '';
      for (let i = 0; i < keys.length; i++) {
        if (i > 0) line += '\t';
        line += copyText(record[keys[i]]);
      }
      lines.push(line + '\n');
      return lines.length >= COPY_CHUNK_ROWS ? flush() : undefined;
    },
    async finish() {
      await flush();
      if (!stream) return written;
      const done = settle(stream, 'finish');
      stream.end();
      await done;
      return written;
    },
  };
}

function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r'));
}

/** A jsonb value read by raw SQL: postgres.js gives its text, PGlite the parsed value. */
export function jsonValue<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Rows of a raw `db.execute` result: postgres.js returns them directly, PGlite under `rows`. */
export function resultRows<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { AppModule } from '../../src/app.module.js';
import { ApiKeysService } from '../../src/auth/api-keys.service.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import type { Database } from '../../src/db/database.js';
import type { Clock } from '../../src/domain/clock.js';

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const config = loadConfig({ REDPROP_PGLITE_DIR: ':memory:', REDPROP_TASK_POLL_MS: '500' });
  // every answer the tests get must be what its response schema documents
  return { ...config, strictResponses: true, ...overrides };
}

/** The application around an already open test database; closing it leaves the database open. */
export function createTestApp(
  database: Database,
  config: AppConfig = testConfig(),
  clock?: Clock,
  options: { scheduler?: boolean } = {},
): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(AppModule.forRoot({ config, database, clock, scheduler: options.scheduler }), { logger: false });
}

/** A clock the test moves: the real time shifted by `offsetDays`, or a fixed instant. */
export class TestClock implements Clock {
  offsetDays = 0;
  fixed: Date | null = null;
  now(): Date {
    return this.fixed ?? new Date(Date.now() + this.offsetDays * 86_400_000);
  }
}

/** A fresh bureau API key (every role, every scope) for HTTP tests: `Authorization: Bearer <key>`. */
export async function bureauKey(app: INestApplicationContext, name = 'test bureau'): Promise<string> {
  return (await app.get(ApiKeysService).create({ name, role: 'bureau', createdBy: 'test' })).key;
}

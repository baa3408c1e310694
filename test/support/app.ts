import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { AppModule } from '../../src/app.module.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import type { Database } from '../../src/db/database.js';
import type { Clock } from '../../src/domain/clock.js';

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return { ...loadConfig({ REDPROP_PGLITE_DIR: ':memory:' }), ...overrides };
}

/** The application around an already open test database; closing it leaves the database open. */
export function createTestApp(database: Database, config: AppConfig = testConfig(), clock?: Clock): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(AppModule.forRoot({ config, database, clock }), { logger: false });
}

/** A clock the test moves: the real time shifted by `offsetDays`, or a fixed instant. */
export class TestClock implements Clock {
  offsetDays = 0;
  fixed: Date | null = null;
  now(): Date {
    return this.fixed ?? new Date(Date.now() + this.offsetDays * 86_400_000);
  }
}

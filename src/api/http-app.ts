import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, LogLevel } from '@nestjs/common';
import { AppModule, type AppModuleOptions } from '../app.module.js';
import { DomainErrorFilter } from './domain-error.filter.js';

/** The HTTP application: the same modules as the CLI plus the API, one error edge. */
export async function createHttpApp(options: AppModuleOptions, logger: LogLevel[] | false = ['error', 'warn', 'log']): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot({ ...options, http: true }), { logger });
  app.useGlobalFilters(new DomainErrorFilter());
  app.enableShutdownHooks();
  return app;
}

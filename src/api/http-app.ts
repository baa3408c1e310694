import 'reflect-metadata';
import { createRequire } from 'node:module';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import express from 'express';
import { AppModule, type AppModuleOptions } from '../app.module.js';
import { DomainErrorFilter } from './domain-error.filter.js';
import { DOCS_ASSETS } from './docs.controller.js';
import { requestIdMiddleware } from './logging/request-id.middleware.js';

const require = createRequire(import.meta.url);

/**
 * The HTTP application: the same modules as the CLI plus the API; one error edge; a request id
 * on every request and log line; Swagger UI's files for /docs; graceful shutdown (in-flight
 * requests and tasks finish, the database closes).
 */
export async function createHttpApp(
  options: AppModuleOptions,
  logger: LogLevel[] | LoggerService | false = ['error', 'warn', 'log'],
): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot({ ...options, http: true }), {
    logger,
    bufferLogs: logger !== false && !Array.isArray(logger),
    abortOnError: false,
  });
  if (logger !== false && !Array.isArray(logger)) app.useLogger(logger);
  app.use(requestIdMiddleware);
  const swaggerUi = require('swagger-ui-dist') as { getAbsoluteFSPath(): string };
  app.use(DOCS_ASSETS, express.static(swaggerUi.getAbsoluteFSPath(), { index: false }));
  app.useGlobalFilters(new DomainErrorFilter());
  app.enableShutdownHooks();
  return app;
}

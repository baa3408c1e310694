import 'reflect-metadata';
import { createRequire } from 'node:module';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { AppModule, type AppModuleOptions } from '../app.module.js';
import { packageVersion } from '../config/paths.js';
import { DomainErrorFilter } from './domain-error.filter.js';
import { requestIdMiddleware } from './logging/request-id.middleware.js';
import { openApiDocument } from './openapi/openapi-document.js';

const require = createRequire(import.meta.url);

/** Swagger UI's own files, also at a fixed address of their own. */
export const DOCS_ASSETS = '/docs/assets';

/**
 * The HTTP application: the same modules as the CLI plus the API; one error edge; a request id
 * on every request and log line; Swagger UI at /docs and the OpenAPI document at /docs-json;
 * graceful shutdown (in-flight requests and tasks finish, the database closes).
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
  SwaggerModule.setup('docs', app, openApiDocument(app, packageVersion()), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'redprop API',
    swaggerOptions: { persistAuthorization: true },
  });
  app.useGlobalFilters(new DomainErrorFilter());
  app.enableShutdownHooks();
  return app;
}

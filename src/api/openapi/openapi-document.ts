import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorBody } from '../schemas/common.schema.js';
import { zodToOpenApi } from './schema-converter.js';

export const OPENAPI_INFO = {
  title: 'redprop API',
  description:
    '红色物业服务企业考核评价：results, lists, ledger, reports, appeals and credit repair for the bureau (全部), street offices (本街道) and companies (本企业). ' +
    'Every endpoint but health needs `Authorization: Bearer <key>` (redprop keys:create). Errors: `{ code, message, messageZh, details }` with a stable code. ' +
    'Long operations are tasks: the request answers 202 with the task, GET /tasks/{id} tells how it goes.',
};

/**
 * The OpenAPI 3 document, made by @nestjs/swagger from the controllers: every body, query and path
 * parameter from the zod schema the endpoint validates with, every answer from the schema its
 * @Endpoint sends through (src/api/openapi/schema-converter.ts turns zod into OpenAPI).
 */
export function openApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(OPENAPI_INFO.title)
    .setDescription(OPENAPI_INFO.description)
    .setVersion(version)
    .addServer('/')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <key> (redprop keys:create)' }, 'apiKey')
    .build();
  const document = SwaggerModule.createDocument(app, config, { standardSchemaConverter: zodToOpenApi, autoTagControllers: false });
  const error = zodToOpenApi(ErrorBody, { schemaType: 'output' })!;
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...(error.components as object) } };
  return document;
}

import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { API_DOC, type EndpointDoc, type ParameterDoc } from './api-doc.decorator.js';
import type { BodySchema, FieldRule } from '../body.js';

/** A route as Nest registers it, with its documentation (undefined when a route has none). */
export interface DocumentedRoute {
  method: string;
  /** OpenAPI form: /runs/{runId} */
  path: string;
  doc: EndpointDoc | undefined;
  handler: string;
}

const METHODS: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.DELETE]: 'delete',
  [RequestMethod.PATCH]: 'patch',
};

function joinPath(prefix: string | undefined, path: string | undefined): string {
  const parts = [prefix, path].flatMap((p) => (p ?? '').split('/')).filter((p) => p !== '');
  return `/${parts.map((p) => (p.startsWith(':') ? `{${p.slice(1)}}` : p)).join('/')}`;
}

/** Every route of the controllers, read from the metadata Nest's decorators leave. */
export function routesOf(controllers: readonly Type[]): DocumentedRoute[] {
  const routes: DocumentedRoute[] = [];
  for (const controller of controllers) {
    const prefix = Reflect.getMetadata(PATH_METADATA, controller) as string | undefined;
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      if (name === 'constructor') continue;
      const handler = (controller.prototype as Record<string, object>)[name];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) continue;
      routes.push({ method: METHODS[method] ?? 'get', path: joinPath(prefix, path), doc: Reflect.getMetadata(API_DOC, handler) as EndpointDoc | undefined, handler: `${controller.name}.${name}` });
    }
  }
  return routes;
}

function fieldSchema(rule: FieldRule): Record<string, unknown> {
  return { type: rule.type, ...(rule.enum ? { enum: rule.enum } : {}), ...(rule.nonBlank ? { minLength: 1 } : {}), ...(rule.description ? { description: rule.description } : {}) };
}

export function bodySchema(schema: BodySchema): Record<string, unknown> {
  const required = Object.entries(schema)
    .filter(([, rule]) => rule.required)
    .map(([name]) => name);
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(schema).map(([name, rule]) => [name, fieldSchema(rule)])),
    ...(required.length > 0 ? { required } : {}),
  };
}

function parameter(name: string, where: 'query' | 'path', p: ParameterDoc) {
  return { name, in: where, required: where === 'path' ? true : (p.required ?? false), description: p.description, schema: { type: p.type ?? 'string', ...(p.enum ? { enum: p.enum } : {}) } };
}

const ERROR_SCHEMA = {
  type: 'object',
  description: 'a coded error: stable English code, English and Chinese message, details',
  properties: { code: { type: 'string' }, message: { type: 'string' }, messageZh: { type: 'string' }, details: { type: 'array', items: { type: 'string' } } },
  required: ['code', 'message', 'messageZh', 'details'],
};

const CONTENT = {
  json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  html: 'text/html',
};

/** The OpenAPI 3.0 document of the routes. */
export function openApiDocument(routes: readonly DocumentedRoute[], info: { title: string; version: string; description: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const doc = route.doc;
    if (!doc) continue;
    const parameters = [
      ...Object.entries(doc.params ?? {}).map(([name, p]) => parameter(name, 'path', p)),
      ...Object.entries(doc.query ?? {}).map(([name, p]) => parameter(name, 'query', p)),
    ];
    const error = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    const responses: Record<string, unknown> = {
      [doc.returns.status]: {
        description: doc.returns.description,
        content: { [CONTENT[doc.returns.content ?? 'json']]: { schema: doc.returns.content === 'xlsx' ? { type: 'string', format: 'binary' } : doc.returns.content === 'html' ? { type: 'string' } : { type: 'object' } } },
      },
      400: { description: 'bad input (unknown or missing fields are named)', ...error },
    };
    if (!doc.public) {
      responses[401] = { description: 'no valid API key', ...error };
      responses[403] = { description: 'outside the key’s role or scope', ...error };
    }
    const operation: Record<string, unknown> = {
      tags: [doc.tag],
      summary: doc.summary,
      ...(doc.description || doc.roles ? { description: [doc.description, doc.roles ? `Roles: ${doc.roles.join(', ')}.` : undefined].filter(Boolean).join('\n\n') } : {}),
      operationId: route.handler.replace('.', '_'),
      parameters,
      responses,
      ...(doc.public ? { security: [] } : {}),
    };
    if (doc.body === 'xlsx-upload') {
      operation.requestBody = { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary', description: '.xlsx' } }, required: ['file'] } } } };
    } else if (doc.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: bodySchema(doc.body) } } };
    }
    (paths[route.path] ??= {})[route.method] = operation;
  }
  return {
    openapi: '3.0.3',
    info,
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <key> (redprop keys:create)' } },
      schemas: { Error: ERROR_SCHEMA },
    },
    paths,
  };
}

import { applyDecorators, HttpCode, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { Public } from '../../auth/public.decorator.js';
import { Roles } from '../../auth/roles.decorator.js';
import type { Role } from '../../domain/access.js';
import { ERROR_CATALOGUE, httpStatusOf, type ErrorCode } from '../../domain/error-catalogue.js';
import { FileUpload } from '../files.js';
import { XLSX_MEDIA_TYPE } from '../schemas/common.schema.js';
import { RESPONSE_SCHEMA } from '../validation/response-schema.interceptor.js';

/** Error answers an endpoint may give besides 400 (and 401/403 unless public). */
export type ErrorStatus = 404 | 409 | 413 | 429 | 503;

const ERROR_MEANINGS: Record<number, string> = {
  400: 'bad input: every unknown, missing or malformed field or query parameter is named (BODY_INVALID, QUERY_INVALID, PATH_INVALID), or the check that refused it says why',
  401: 'no valid API key',
  403: 'outside the key’s role or scope',
  404: 'what the request names does not exist',
  409: 'the request conflicts with the state it meets',
  413: 'the upload is too large (UPLOAD_TOO_LARGE)',
  429: 'too many uploads or tasks of this key, or of the server, at once: try again after Retry-After seconds',
  503: 'the database does not answer',
};

/** What an error answer means, with the codes of the catalogue that answer with its status (all but 400's many). */
function errorDescription(status: number): string {
  if (status === 400 || status === 413) return ERROR_MEANINGS[status];
  const codes = (Object.keys(ERROR_CATALOGUE) as ErrorCode[]).filter((code) => httpStatusOf(ERROR_CATALOGUE[code].category) === status);
  return `${ERROR_MEANINGS[status]}: ${codes.join(', ')}`;
}

const RETRY_AFTER = { 'Retry-After': { description: 'seconds to wait before trying again', schema: { type: 'integer' } } };

export interface EndpointOptions {
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /** roles allowed (in addition to the scope checks inside); absent: every role */
  readonly roles?: readonly Role[];
  /** no API key needed */
  readonly public?: boolean;
  /** the success status (also what the endpoint answers with) */
  readonly status: 200 | 201 | 202;
  /** the JSON the endpoint answers with, or a workbook */
  readonly response: z.ZodType | 'xlsx';
  readonly responseDescription: string;
  /** an endpoint that takes one uploaded file (multipart field `file`, at most `maxBytes`) */
  readonly upload?: { readonly maxBytes: number; readonly description: string };
  /** error answers besides 400, 401 and 403 */
  readonly errors?: readonly ErrorStatus[];
}

/**
 * One decorator per endpoint: its OpenAPI operation (tag, summary, success and error answers with
 * their schemas, the key it needs), the roles it allows (enforced by the guard), its success
 * status, the response schema the serializer sends, and for uploads the file interceptor.
 * Bodies, queries and path parameters are documented by their own schemas: `@Body({ schema })`…
 */
export function Endpoint(options: EndpointOptions): MethodDecorator {
  const description = [options.description, options.roles ? `Roles: ${options.roles.join(', ')}.` : undefined].filter(Boolean).join('\n\n');
  const decorators: MethodDecorator[] = [
    ApiTags(options.tag),
    ApiOperation({ summary: options.summary, ...(description ? { description } : {}) }),
    HttpCode(options.status),
  ];
  if (options.response === 'xlsx') {
    decorators.push(
      ApiProduces(XLSX_MEDIA_TYPE),
      ApiResponse({
        status: options.status,
        description: options.responseDescription,
        content: { [XLSX_MEDIA_TYPE]: { schema: { type: 'string', format: 'binary' } } },
      }),
    );
  } else {
    decorators.push(
      ApiResponse({ status: options.status, description: options.responseDescription, standardSchema: options.response }),
      SetMetadata(RESPONSE_SCHEMA, options.response),
    );
  }
  const errors: number[] = [400, ...(options.public ? [] : [401, 403]), ...(options.errors ?? [])];
  for (const status of errors)
    decorators.push(
      ApiResponse({
        status,
        description: errorDescription(status),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        ...(status === 429 ? { headers: RETRY_AFTER } : {}),
      }),
    );
  if (options.public) decorators.push(Public());
  else decorators.push(ApiBearerAuth('apiKey'));
  if (options.roles) decorators.push(Roles(...options.roles));
  if (options.upload) {
    decorators.push(
      FileUpload(options.upload.maxBytes),
      ApiConsumes('multipart/form-data'),
      ApiBody({
        required: true,
        schema: {
          type: 'object',
          properties: { file: { type: 'string', format: 'binary', description: options.upload.description } },
          required: ['file'],
        },
      }),
    );
  }
  return applyDecorators(...decorators);
}

import { Inject, Injectable, Logger, StreamableFile, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, mergeMap, type Observable } from 'rxjs';
import type { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { DomainError } from '../../domain/errors.js';

export const RESPONSE_SCHEMA = 'redprop:response-schema';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/** Fields the handler returned that the schema does not describe (and so were not sent). */
export function undocumentedFields(returned: unknown, sent: unknown, path = ''): string[] {
  if (Array.isArray(returned) && Array.isArray(sent)) return returned.flatMap((item, i) => undocumentedFields(item, sent[i], `${path}[${i}]`));
  if (!isPlainObject(returned) || !isPlainObject(sent)) return [];
  return Object.entries(returned).flatMap(([key, value]) => {
    const at = path === '' ? key : `${path}.${key}`;
    if (value === undefined) return [];
    if (!Object.hasOwn(sent, key)) return [at];
    return undocumentedFields(value, sent[key], at);
  });
}

/**
 * Sends what an endpoint's response schema describes and nothing else: the answer is parsed by the
 * schema its @Endpoint documents (fields it does not name are left out), so the OpenAPI document is
 * what clients get. With `strictResponses` (the tests) a field the schema leaves out, or an answer
 * it refuses, fails the request instead: an undocumented change cannot pass the test suite.
 */
@Injectable()
export class ResponseSchemaInterceptor implements NestInterceptor {
  private readonly logger = new Logger('API');

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const schema = this.reflector.get<z.ZodType | undefined>(RESPONSE_SCHEMA, context.getHandler());
    if (!schema) return next.handle();
    const where = `${context.getClass().name}.${context.getHandler().name}`;
    return next.handle().pipe(mergeMap((value: unknown) => from(this.serialize(value, schema, where))));
  }

  private async serialize(value: unknown, schema: z.ZodType, where: string): Promise<unknown> {
    if (value instanceof StreamableFile) return value;
    const result = await schema.safeParseAsync(value);
    const problems = result.success
      ? this.config.strictResponses
        ? undocumentedFields(value, result.data).map((field) => `undocumented field ${field}`)
        : []
      : result.error.issues.slice(0, 20).map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`);
    if (problems.length > 0) {
      this.logger.error(`the answer of ${where} does not match its response schema: ${problems.join('; ')}`);
      if (!result.success || this.config.strictResponses)
        throw new DomainError('RESPONSE_INVALID', `the answer of ${where} does not match its documented schema`, '服务内部错误：应答与接口文档不符', problems);
    }
    return result.data;
  }
}

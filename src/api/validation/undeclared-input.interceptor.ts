import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { badInput } from '../../domain/errors.js';
import { UPLOAD_FIELD } from '../files.js';

/** Which request parts a handler reads, from the metadata its parameter decorators leave. */
function declaredInputs(context: ExecutionContext): { query: boolean; body: boolean } {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {}) as Record<string, unknown>;
  const types = Object.keys(args).map((key) => Number(key.split(':')[0]));
  return {
    query: types.includes(RouteParamtypes.QUERY),
    body: types.includes(RouteParamtypes.BODY) || Reflect.hasMetadata(UPLOAD_FIELD, context.getHandler()),
  };
}

/**
 * What an endpoint does not read must not be sent to it: a query parameter to an endpoint without
 * a query schema, or a body to one that takes none, is a 400 naming it (the schemas themselves
 * check the parts an endpoint does read, SchemaValidationPipe).
 */
@Injectable()
export class UndeclaredInputInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const declared = declaredInputs(context);
    const problems: string[] = [];
    if (!declared.query) for (const name of Object.keys(request.query ?? {})) problems.push(`unknown query parameter "${name}"`);
    const body = request.body as unknown;
    if (!declared.body && body !== undefined && body !== null && !(typeof body === 'object' && Object.keys(body).length === 0))
      problems.push('this endpoint takes no body');
    if (problems.length > 0) throw badInput('QUERY_INVALID', problems.join('; '), `请求有误：${problems.join('；')}`, problems);
    return next.handle();
  }
}

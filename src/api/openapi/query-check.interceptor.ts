import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { badInput } from '../../domain/errors.js';
import { API_DOC, type EndpointDoc } from './api-doc.decorator.js';

/**
 * Holds every request to what its endpoint documents: a required query parameter missing, one
 * the endpoint does not know, a value outside its enumeration, or a body sent to an endpoint
 * that takes none is a 400 naming it (bodies themselves are checked field by field by `parseBody`).
 */
@Injectable()
export class QueryCheckInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const doc = this.reflector.get<EndpointDoc | undefined>(API_DOC, context.getHandler());
    if (doc && context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<Request>();
      const problems: string[] = [];
      const known = doc.query ?? {};
      for (const [name, rule] of Object.entries(known)) {
        const value = request.query?.[name];
        if (rule.required && (typeof value !== 'string' || value.trim() === '')) problems.push(`query parameter "${name}" is required`);
      }
      for (const [name, value] of Object.entries(request.query ?? {})) {
        const rule = known[name];
        if (!rule) problems.push(`unknown query parameter "${name}"${Object.keys(known).length > 0 ? ` (${Object.keys(known).join(', ')})` : ''}`);
        else if (typeof value !== 'string') problems.push(`query parameter "${name}" must be given once`);
        else if (rule.enum && !rule.enum.includes(value)) problems.push(`query parameter "${name}" must be one of ${rule.enum.join(', ')}`);
      }
      const body = request.body as unknown;
      if (doc.body === undefined && body !== undefined && body !== null && !(typeof body === 'object' && Object.keys(body).length === 0)) {
        problems.push('this endpoint takes no body');
      }
      if (problems.length > 0) throw badInput('QUERY_INVALID', problems.join('; '), `请求有误：${problems.join('；')}`, problems);
    }
    return next.handle();
  }
}

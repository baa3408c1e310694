import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { principalOf } from '../../auth/principal.decorator.js';
import { requestContext } from './request-context.js';

const SAFE_ID = /^[A-Za-z0-9._-]{1,64}$/;
const logger = new Logger('HTTP');

/**
 * Gives every request an id (the caller's `X-Request-Id` when it is a sane one), answers with it,
 * runs the request inside its context so every log line carries it, and logs the request when
 * it ends (method, path, status, milliseconds, key name).
 */
export function requestIdMiddleware(request: Request, response: Response, next: NextFunction): void {
  const given = request.header('x-request-id');
  const requestId = given && SAFE_ID.test(given) ? given : randomUUID();
  response.setHeader('X-Request-Id', requestId);
  const started = process.hrtime.bigint();
  let logged = false;
  const log = (aborted: boolean) => {
    if (logged) return;
    logged = true;
    const principal = principalOf(request as Parameters<typeof principalOf>[0]);
    requestContext.run({ requestId }, () =>
      logger.log({
        message: `${request.method} ${request.originalUrl.split('?')[0]} ${aborted ? 'aborted' : response.statusCode}`,
        method: request.method,
        path: request.originalUrl.split('?')[0],
        status: response.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        key: principal?.name ?? null,
        ...(aborted ? { aborted: true } : {}),
      }),
    );
  };
  response.on('finish', () => log(false));
  // a client that goes away before the answer is complete is logged too
  response.on('close', () => log(!response.writableFinished));
  requestContext.run({ requestId }, () => next());
}

import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '../domain/access.js';
import { unauthorized } from './api-keys.service.js';

/** Where the guard leaves the principal on the request. */
export const PRINCIPAL = 'redprop:principal';

export interface RequestWithPrincipal {
  [PRINCIPAL]?: Principal;
}

export function principalOf(request: RequestWithPrincipal): Principal | undefined {
  return request[PRINCIPAL];
}

/** The principal of the request's API key (set by the AuthGuard; a route marked @Public() has none). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = principalOf(context.switchToHttp().getRequest<RequestWithPrincipal>());
  if (!principal) throw unauthorized('this endpoint needs an API key', '此接口需要 API 密钥');
  return principal;
});

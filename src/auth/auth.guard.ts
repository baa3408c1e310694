import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import { ApiKeysService, ROLE_LABELS, unauthorized } from './api-keys.service.js';
import { PRINCIPAL, type RequestWithPrincipal } from './principal.decorator.js';
import { IS_PUBLIC } from './public.decorator.js';
import { ROLES } from './roles.decorator.js';

interface HttpRequest extends RequestWithPrincipal {
  headers: Record<string, string | string[] | undefined>;
}

/** The bearer token of an `Authorization` header; null when there is none, '' when it is not a bearer token. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value.trim());
  return match ? match[1] : '';
}

/**
 * Every HTTP route needs `Authorization: Bearer <key>` unless marked @Public(); the key's
 * principal is left on the request, and @Roles(...) restricts the route to those roles.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<HttpRequest>();
    const token = bearerToken(request.headers['authorization']);
    if (token === '') throw unauthorized('the Authorization header must be "Bearer <key>"', '请求头 Authorization 的格式应为“Bearer <密钥>”');
    const principal = await this.keys.authenticate(token);
    request[PRINCIPAL] = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && roles.length > 0 && !roles.includes(principal.role)) {
      const allowed = roles.map((r) => `${ROLE_LABELS[r]}（${r}）`).join('、');
      throw new DomainError(
        'FORBIDDEN_ROLE',
        `role ${principal.role} may not call this endpoint (allowed: ${roles.join(', ')})`,
        `${ROLE_LABELS[principal.role]}（${principal.role}）角色的密钥无权调用此接口，仅限${allowed}`,
      );
    }
    return true;
  }
}

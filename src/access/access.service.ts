import { Injectable } from '@nestjs/common';
import { scopeText, type AccessScope } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import { AccessRepository } from './access.repository.js';

export function outOfScope(scope: AccessScope, what: string, whatZh: string): DomainError {
  return new DomainError('FORBIDDEN_SCOPE', `${what} is outside the key's scope`, `${whatZh}不在本密钥的权限范围（${scopeText(scope)}）内`);
}

/**
 * The scope check of a company asked for by name: a street key reaches the companies operating in
 * its street, a company key itself, the bureau everything. Rows are filtered in SQL by the
 * repositories (scope-filters.ts); this answers 403 for a company asked for outside the scope.
 */
@Injectable()
export class AccessService {
  constructor(private readonly repository: AccessRepository) {}

  async assertCompany(scope: AccessScope, uscc: string): Promise<void> {
    if (scope.kind === 'all') return;
    if (scope.kind === 'company' ? scope.uscc === uscc : await this.repository.companyOperatesIn(uscc, scope.streetCode)) return;
    throw outOfScope(scope, `company ${uscc}`, `企业 ${uscc} `);
  }

  /** Whether a company has a project in a street. */
  companyOperatesIn(uscc: string, streetCode: string): Promise<boolean> {
    return this.repository.companyOperatesIn(uscc, streetCode);
  }
}

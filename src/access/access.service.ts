import { Injectable } from '@nestjs/common';
import { scopeText, type AccessScope } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import { AccessRepository } from './access.repository.js';

export function outOfScope(scope: AccessScope, what: string, whatZh: string): DomainError {
  return new DomainError('FORBIDDEN_SCOPE', 'forbidden', `${what} is outside the key's scope`, `${whatZh}不在本密钥的权限范围（${scopeText(scope)}）内`);
}

/**
 * Scope checks: a street key sees its street (its projects, the companies operating there), a
 * company key itself, the bureau everything. Lists are filtered, never just counted.
 */
@Injectable()
export class AccessService {
  constructor(private readonly repository: AccessRepository) {}

  async assertCompany(scope: AccessScope, uscc: string): Promise<void> {
    if (scope.kind === 'all') return;
    if (scope.kind === 'company' ? scope.uscc === uscc : await this.repository.companyOperatesIn(uscc, scope.streetCode)) return;
    throw outOfScope(scope, `company ${uscc}`, `企业 ${uscc} `);
  }

  /** A report or run scope: a street key only its own street; `null` (every street) only the bureau. */
  assertStreet(scope: AccessScope, streetCode: string | null): void {
    if (scope.kind === 'all') return;
    if (scope.kind === 'street' && streetCode === scope.streetCode) return;
    throw outOfScope(scope, streetCode === null ? 'every street' : `street ${streetCode}`, streetCode === null ? '全部街道' : `街道 ${streetCode} `);
  }

  /**
   * Runs a scoped key may read: published or superseded ones (drafts are the bureau's), of every
   * street or, for a street key, of its own street.
   */
  runVisible(scope: AccessScope, run: { status: string; streetCode: string | null }): boolean {
    if (scope.kind === 'all') return true;
    if (run.status === 'draft') return false;
    return run.streetCode === null || (scope.kind === 'street' && run.streetCode === scope.streetCode);
  }

  assertRun(scope: AccessScope, run: { id: number; status: string; streetCode: string | null }): void {
    if (!this.runVisible(scope, run)) throw outOfScope(scope, `run ${run.id}`, `考核运行 #${run.id} `);
  }

  /** Appeal lines a key may see: a street key those of its street's projects, and company-level lines of companies operating there. */
  async filterAppealLines<T extends { uscc: string; streetCode: string | null }>(scope: AccessScope, rows: readonly T[]): Promise<T[]> {
    if (scope.kind !== 'street') return this.filterCompanies(scope, rows, (r) => r.uscc);
    const inStreet = await this.repository.companiesIn(scope.streetCode);
    return rows.filter((r) => (r.streetCode === null ? inStreet.has(r.uscc) : r.streetCode === scope.streetCode));
  }

  /**
   * The street a report may cover for a key: a street key its own (the default when none is
   * asked for); a company key only its own company's score sheet, over all its projects.
   */
  async reportStreet(scope: AccessScope, request: { streetCode: string | null; /** a company score sheet's company, else null */ companyUscc: string | null }): Promise<string | null> {
    const streetCode = scope.kind === 'street' && request.streetCode === null ? scope.streetCode : request.streetCode;
    if (request.companyUscc !== null) {
      await this.assertCompany(scope, request.companyUscc);
      if (scope.kind === 'street') this.assertStreet(scope, streetCode);
    } else {
      this.assertStreet(scope, streetCode);
    }
    return streetCode;
  }

  /** Keeps the rows of companies in scope. */
  async filterCompanies<T>(scope: AccessScope, rows: readonly T[], usccOf: (row: T) => string): Promise<T[]> {
    if (scope.kind === 'all') return [...rows];
    if (scope.kind === 'company') return rows.filter((r) => usccOf(r) === scope.uscc);
    const inStreet = await this.repository.companiesIn(scope.streetCode);
    return rows.filter((r) => inStreet.has(usccOf(r)));
  }

  /** Keeps the projects in scope (a street key: its street's projects only). */
  filterProjects<T>(scope: AccessScope, rows: readonly T[], streetOf: (row: T) => string): T[] {
    return scope.kind === 'street' ? rows.filter((r) => streetOf(r) === scope.streetCode) : [...rows];
  }

  /** A street reviewer decides the lines of its street's projects and of companies operating there. */
  async assertAppealLine(scope: AccessScope, appealLineId: number): Promise<void> {
    if (scope.kind === 'all') return;
    const subject = await this.repository.appealLineSubject(appealLineId);
    if (!subject) return; // the service answers not found
    if (scope.kind === 'company') {
      if (subject.uscc === scope.uscc) return;
    } else if (subject.streetCode === null ? await this.repository.companyOperatesIn(subject.uscc, scope.streetCode) : subject.streetCode === scope.streetCode) {
      return;
    }
    throw outOfScope(scope, `appeal line ${appealLineId}`, `申诉行 #${appealLineId} `);
  }
}

import { sql, type SQL } from 'drizzle-orm';
import type { AccessScope } from '../domain/access.js';

/**
 * The SQL conditions that keep the rows a scope may read. Every repository query that returns
 * rows of a street or a company takes the caller's scope and filters with these, so that a new
 * read is scoped by what it selects, not by what a controller remembers to check.
 *
 * - the bureau (`all`) reads everything;
 * - a street office its street's projects, and the companies operating there (a company with a
 *   project in the street), but of such a company nothing that belongs to a project elsewhere;
 * - a company itself and its projects, wherever they are.
 */
export const scopeFilter = {
  /** the company (by id) is in scope */
  company(scope: AccessScope, companyId: SQL): SQL {
    if (scope.kind === 'all') return sql`true`;
    if (scope.kind === 'company') return sql`${companyId} = (select sc.id from companies sc where sc.uscc = ${scope.uscc})`;
    return sql`${companyId} in (select sp.company_id from projects sp join streets ss on ss.id = sp.street_id where ss.code = ${scope.streetCode})`;
  },

  /** the project (by id) is in scope */
  project(scope: AccessScope, projectId: SQL): SQL {
    if (scope.kind === 'all') return sql`true`;
    if (scope.kind === 'company')
      return sql`${projectId} in (select sp.id from projects sp join companies sc on sc.id = sp.company_id where sc.uscc = ${scope.uscc})`;
    return sql`${projectId} in (select sp.id from projects sp join streets ss on ss.id = sp.street_id where ss.code = ${scope.streetCode})`;
  },

  /**
   * A row about a company and, when not null, one of its projects (a ledger entry, an appeal line,
   * a credit event): a project's row by its project, a company-level row by its company.
   */
  subject(scope: AccessScope, companyId: SQL, projectId: SQL): SQL {
    if (scope.kind === 'all') return sql`true`;
    return sql`(case when ${projectId} is null then ${scopeFilter.company(scope, companyId)} else ${scopeFilter.project(scope, projectId)} end)`;
  },

  /** runs a scope may read: drafts are the bureau's; a street office reads runs of every street or of its own */
  run(scope: AccessScope, status: SQL, streetCode: SQL): SQL {
    if (scope.kind === 'all') return sql`true`;
    const street = scope.kind === 'street' ? sql` or ${streetCode} = ${scope.streetCode}` : sql``;
    return sql`(${status} <> 'draft' and (${streetCode} is null${street}))`;
  },
};

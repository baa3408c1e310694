import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service.js';
import type { AccessScope } from '../domain/access.js';
import { badInput } from '../domain/errors.js';
import { periodDates, requirePeriod } from '../domain/period.js';
import { ReportsRepository } from '../reports/reports.repository.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The red/black list entries and the credit ledger as a key's scope lets it see them. */
@Injectable()
export class ListsService {
  constructor(
    private readonly repository: ReportsRepository,
    private readonly access: AccessService,
  ) {}

  /** Every entry (with its transitions) started by the end of the period. */
  async entries(periodCode: string, scope: AccessScope) {
    const { endsOn } = periodDates(requirePeriod(periodCode));
    if (scope.kind === 'company') {
      const company = await this.repository.companyByUscc(scope.uscc);
      return company ? this.repository.listEntries(null, endsOn, company.id) : [];
    }
    return this.repository.listEntries(scope.kind === 'street' ? scope.streetCode : null, endsOn);
  }

  /** Ledger entries dated in [from, to]. */
  async ledger(from: string, to: string, scope: AccessScope) {
    if (!ISO_DATE.test(from) || !ISO_DATE.test(to) || from > to) throw badInput('DATE_RANGE_INVALID', 'from and to must be dates YYYY-MM-DD, from ≤ to', '起止日期须为 YYYY-MM-DD，且起始不晚于截止');
    const rows = await this.repository.ledgerEntries(scope.kind === 'street' ? scope.streetCode : null, from, to);
    return this.access.filterCompanies(scope, rows, (r) => r.uscc);
  }
}

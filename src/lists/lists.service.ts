import { Injectable } from '@nestjs/common';
import type { AccessScope } from '../domain/access.js';
import { badInput } from '../domain/errors.js';
import { periodDates, requirePeriod } from '../domain/period.js';
import { ReportsRepository } from '../reports/reports.repository.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The red/black list entries and the credit ledger as a key's scope lets it see them (filtered in SQL). */
@Injectable()
export class ListsService {
  constructor(private readonly repository: ReportsRepository) {}

  /** Every entry (with its transitions) started by the end of the period, of companies in scope. */
  entries(periodCode: string, scope: AccessScope) {
    const { endsOn } = periodDates(requirePeriod(periodCode));
    return this.repository.listEntries(scope, endsOn);
  }

  /** Ledger entries dated in [from, to]: of projects in scope, and company-level ones of companies in scope. */
  ledger(from: string, to: string, scope: AccessScope) {
    if (!ISO_DATE.test(from) || !ISO_DATE.test(to) || from > to)
      throw badInput('DATE_RANGE_INVALID', 'from and to must be dates YYYY-MM-DD, from ≤ to', '起止日期须为 YYYY-MM-DD，且起始不晚于截止');
    return this.repository.ledgerEntries(scope, from, to);
  }
}

import { badInput } from '../domain/errors.js';
import { type Period, type PeriodKind, requirePeriod } from '../domain/period.js';
import { usccProblem } from '../domain/uscc.js';

/** The workbooks redprop writes (issue 4, item 3). */
export const REPORT_KINDS = {
  'street-annual': { label: '街道年度考核', periodKinds: null },
  'company-scoresheet': { label: '企业考核评分表', periodKinds: null },
  'monthly-bulletin': { label: '按月通报', periodKinds: ['month'] },
  'quarterly-dispatch': { label: '按季调度', periodKinds: ['quarter'] },
  'list-publication': { label: '红黑榜公示', periodKinds: null },
} as const satisfies Record<string, { label: string; periodKinds: readonly PeriodKind[] | null }>;

export type ReportKind = keyof typeof REPORT_KINDS;

export const REPORT_KIND_NAMES = Object.keys(REPORT_KINDS) as ReportKind[];

export interface ReportRequest {
  kind: string;
  period: string;
  streetCode?: string | null;
  companyUscc?: string | null;
}

export interface CheckedReportRequest {
  kind: ReportKind;
  period: Period;
  streetCode: string | null;
  companyUscc: string | null;
}

const PERIOD_EXAMPLES: Record<PeriodKind, string> = { year: '2025', half: '2025-H1', quarter: '2025-Q3', month: '2025-07' };

/** Checks what a person asked for before anything is read; every refusal is a coded error. */
export function checkReportRequest(request: ReportRequest): CheckedReportRequest {
  const kind = request.kind as ReportKind;
  if (!Object.hasOwn(REPORT_KINDS, kind)) {
    throw badInput(
      'REPORT_KIND_UNKNOWN',
      `unknown report kind "${request.kind}" (one of ${REPORT_KIND_NAMES.join(', ')})`,
      `报表类型“${request.kind}”不存在，可选：${REPORT_KIND_NAMES.map((k) => `${k}（${REPORT_KINDS[k].label}）`).join('、')}`,
    );
  }
  const period = requirePeriod(request.period);
  const allowed: readonly PeriodKind[] | null = REPORT_KINDS[kind].periodKinds;
  if (allowed && !allowed.includes(period.kind)) {
    const examples = allowed.map((k) => PERIOD_EXAMPLES[k]).join('、');
    throw badInput(
      'REPORT_PERIOD_KIND',
      `${kind} needs a period like ${examples}, got "${period.code}"`,
      `${REPORT_KINDS[kind].label}的周期应为 ${examples} 这样的格式，而不是“${period.code}”`,
    );
  }
  const streetCode = request.streetCode?.trim() || null;
  const companyUscc = request.companyUscc?.trim().toUpperCase() || null;
  if (kind === 'company-scoresheet' && companyUscc === null) {
    throw badInput('REPORT_COMPANY_REQUIRED', 'company-scoresheet needs --company USCC', '企业考核评分表需要用 --company 指定企业的统一社会信用代码');
  }
  if (companyUscc !== null) {
    const problem = usccProblem(companyUscc);
    if (problem) throw badInput('USCC_INVALID', `invalid USCC "${companyUscc}" (${problem})`, `统一社会信用代码“${companyUscc}”无效`);
  }
  return { kind, period, streetCode, companyUscc };
}

/** `<kind>-<period>[-<street>][-<uscc>].xlsx`: ASCII only, so that every file system and mail client takes it. */
export function reportFileName(request: CheckedReportRequest): string {
  const parts: string[] = [request.kind, request.period.code];
  if (request.streetCode) parts.push(request.streetCode.replace(/[^0-9A-Za-z_-]/g, '_'));
  if (request.companyUscc && request.kind === 'company-scoresheet') parts.push(request.companyUscc);
  return `${parts.join('-')}.xlsx`;
}

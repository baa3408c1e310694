import { checkReportRequest, reportFileName } from './report-kinds.js';

const USCC = '91510104930430963Q';

describe('report requests', () => {
  it('accepts each kind with a fitting period and names its file', () => {
    expect(reportFileName(checkReportRequest({ kind: 'street-annual', period: '2025' }))).toBe('street-annual-2025.xlsx');
    expect(reportFileName(checkReportRequest({ kind: 'street-annual', period: '2025', streetCode: '510105003' }))).toBe('street-annual-2025-510105003.xlsx');
    expect(reportFileName(checkReportRequest({ kind: 'company-scoresheet', period: '2025', companyUscc: USCC.toLowerCase() }))).toBe(`company-scoresheet-2025-${USCC}.xlsx`);
    expect(reportFileName(checkReportRequest({ kind: 'monthly-bulletin', period: '2025-07' }))).toBe('monthly-bulletin-2025-07.xlsx');
    expect(reportFileName(checkReportRequest({ kind: 'quarterly-dispatch', period: '2025-Q3' }))).toBe('quarterly-dispatch-2025-Q3.xlsx');
    expect(reportFileName(checkReportRequest({ kind: 'list-publication', period: '2025' }))).toBe('list-publication-2025.xlsx');
  });

  it.each([
    [{ kind: 'annual', period: '2025' }, 'REPORT_KIND_UNKNOWN'],
    [{ kind: 'street-annual', period: '2025-13' }, 'PERIOD_INVALID'],
    [{ kind: 'monthly-bulletin', period: '2025' }, 'REPORT_PERIOD_KIND'],
    [{ kind: 'quarterly-dispatch', period: '2025-07' }, 'REPORT_PERIOD_KIND'],
    [{ kind: 'company-scoresheet', period: '2025' }, 'REPORT_COMPANY_REQUIRED'],
    [{ kind: 'company-scoresheet', period: '2025', companyUscc: '91510104930430963A' }, 'USCC_INVALID'],
  ])('refuses %j with %s', (request, code) => {
    expect(() => checkReportRequest(request)).toThrow(expect.objectContaining({ code, category: 'bad_input' }));
  });
});

import type { Command } from 'commander';
import { EVERYTHING } from '../../domain/access.js';
import { runInApp } from '../cli-context.js';
import { globalOptions } from '../cli-options.js';
import { REPORT_KINDS, REPORT_KIND_NAMES } from '../../reports/report-kinds.js';
import { ReportsService } from '../../reports/reports.service.js';

/** report */
export function registerReportCommands(program: Command): void {
  program
    .command('report')
    .description(
      `write a report workbook under <REDPROP_REPORTS_DIR>/<period>/ and print its path; kinds: ${REPORT_KIND_NAMES.map((k) => `${k} (${REPORT_KINDS[k].label})`).join(', ')}`,
    )
    .argument('<kind>', REPORT_KIND_NAMES.join(' | '))
    .requiredOption('--period <period>', 'e.g. 2025; monthly-bulletin: 2025-07; quarterly-dispatch: 2025-Q3')
    .option('--street <code>', 'one street only (its projects and the companies operating there)')
    .option('--company <uscc>', 'company-scoresheet: the company (统一社会信用代码)')
    .action((kind: string, options: { period: string; street?: string; company?: string }) =>
      runInApp(globalOptions(program), async (app) => {
        const report = await app
          .get(ReportsService)
          .write({ kind, period: options.period, streetCode: options.street, companyUscc: options.company }, EVERYTHING);
        console.log(report.path);
      }),
    );
}

import type { Command } from 'commander';
import { FAMILY_NAMES } from '../../intake/excel/families.js';
import { SpreadsheetImportService, type ImportOutcome } from '../../intake/excel/spreadsheet-import.service.js';
import { TemplateService } from '../../intake/excel/template.service.js';
import { RECORD_LABELS, type RecordKind } from '../../intake/records.js';
import { runInApp } from '../cli-context.js';
import { globalOptions } from '../cli-options.js';

/** template, import */
export function registerIntakeCommands(program: Command): void {
  program
    .command('template')
    .description(`write the Excel import template of a family: ${FAMILY_NAMES.join(', ')}`)
    .argument('<family>', FAMILY_NAMES.join(' | '))
    .option('--out <file>', 'the .xlsx file to write (default: <reports>/templates/<family>.xlsx)')
    .action((family: string, options: { out?: string }) =>
      runInApp(globalOptions(program), async (app) => {
        const outcome = await app.get(TemplateService).writeTemplate(family, options.out);
        const lists = Object.entries(outcome.codeLists)
          .map(([name, n]) => `${name} ${n}`)
          .join(', ');
        console.log(`模板已生成：${outcome.path}`);
        console.log(`  工作表：${outcome.sheets.join('、')}（另有“说明”与隐藏的“代码表”）`);
        console.log(`  下拉列表中的已登记编码：${lists}`);
      }),
    );

  program
    .command('import')
    .description('import a filled template (.xlsx) or a CSV (UTF-8 or GBK); on any fault nothing is written and an error workbook is produced')
    .argument('<file>', '.xlsx or .csv file')
    .option('--dry-run', 'check everything and report what would be imported, without writing', false)
    .option('--family <family>', `for a CSV whose header does not tell: ${FAMILY_NAMES.join(', ')}`)
    .action((file: string, options: { dryRun: boolean; family?: string }) =>
      runInApp(globalOptions(program), async (app) => {
        const outcome = await app.get(SpreadsheetImportService).importFile(file, { dryRun: options.dryRun, family: options.family });
        console.log(formatImportOutcome(outcome));
      }),
    );
}

export function formatImportOutcome(outcome: ImportOutcome): string {
  const lines = [
    outcome.dryRun ? `试运行：${outcome.file} 校验通过，未写入任何数据。正式导入将写入：` : `已导入 ${outcome.file}（${outcome.seconds.toFixed(1)} 秒）：`,
  ];
  const kinds = Object.keys(outcome.counts) as RecordKind[];
  const width = Math.max(...kinds.map((k) => k.length), 0);
  for (const kind of kinds) {
    const masters = outcome.masters[kind as keyof typeof outcome.masters];
    const split = masters ? `（新增 ${masters.added}，更新 ${masters.updated}）` : '';
    lines.push(`  ${kind.padEnd(width)}  ${String(outcome.counts[kind]).padStart(9)}  ${RECORD_LABELS[kind]}${split}`);
  }
  return lines.join('\n');
}

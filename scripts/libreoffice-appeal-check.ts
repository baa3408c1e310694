/**
 * Manual check (not part of `npm test`) that an appeal sheet survives LibreOffice (issue 5,
 * acceptance: "Companies open the sheet in Excel, WPS or LibreOffice and save it").
 *
 *   npm run check:libreoffice [-- --keep]
 *
 * Needs `soffice` (Debian: libreoffice-calc-nogui) and python3-uno (/usr/bin/python3). It writes a
 * signed appeal workbook with redprop's writer, then with LibreOffice headless:
 *   1. re-saves it unchanged (soffice --convert-to xlsx)      → must verify, no appeal line
 *   2. fills appeal cells and saves as .xlsx (python-uno)      → must verify, lines read back
 *   3. lifts the protection, changes one locked cell, saves     → must fail, diffCells names the cell
 * and prints what it saw: sheet states, protection, the filled cells. Exit code 1 on a failed expectation.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { appealInstructionsSheet, appealScoresheetRow, appealScoresheetSpec } from '../src/appeals/sheet/appeal-sheet.content.js';
import { readAppealWorkbook } from '../src/appeals/sheet/appeal-workbook.reader.js';

type AppealWorkbook = Awaited<ReturnType<typeof readAppealWorkbook>>;
import { parseClaimedValue } from '../src/appeals/sheet/claimed-value.js';
import { noticeSheet } from '../src/appeals/sheet/notice.content.js';
import {
  diffCells,
  signatureSheet,
  signedCellsOfSheets,
  signSheet,
  verifySheet,
  type MaterialSheet,
  type SignatureHeader,
} from '../src/appeals/sheet/signature.js';
import { parsePeriod } from '../src/domain/period.js';
import type { IndicatorLine } from '../src/reports/indicator-lines.js';
import { factsText } from '../src/reports/report-text.js';
import { XlsxReportWriter } from '../src/reports/xlsx-writer.js';
import { packageRoot } from '../src/config/paths.js';

const keep = process.argv.includes('--keep');
const dir = mkdtempSync(join(tmpdir(), 'redprop-lo-check-'));
const profile = `file://${join(dir, 'lo-profile')}`;
const failures: string[] = [];
const expect = (ok: boolean, what: string) => {
  console.log(`${ok ? 'OK  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

const runId = 7;
const company = { name: '=HYPERLINK("http://x","y")锦江物业', uscc: '91510100MA6C000001' };
const period = parsePeriod('2025')!;
const line = (over: Partial<IndicatorLine>): IndicatorLine => ({
  lineId: '',
  key: '',
  projectCode: 'P0001',
  projectName: '锦江花园',
  section: 'satisfaction',
  sectionLabel: '满意度',
  rule: null,
  clause: null,
  mainFact: null,
  mainValue: null,
  factsText: '',
  points: null,
  max: null,
  evidence: '',
  ...over,
});
const lines: IndicatorLine[] = [
  line({
    lineId: `${runId}-P0001-satisfaction`,
    rule: 'satisfaction-ge-90',
    clause: '满意率 ≥ 90% 且 < 95%，得 27 分',
    mainFact: 'satisfactionRate',
    mainValue: 0.9523809523809523,
    factsText: factsText({ satisfactionRate: 0.9523809523809523, surveyRespondents: 42, smallSample: false }),
    points: 27,
    max: 30,
  }),
  line({
    lineId: `${runId}-P0001-fees`,
    section: 'fees',
    sectionLabel: '物业费收缴',
    rule: 'fees-ge-80',
    clause: '收缴率 ≥ 80%，得 8 分',
    mainFact: 'feeCollectionRateByHousehold',
    mainValue: 0.8,
    factsText: factsText({ feeCollectionRateByHousehold: 0.8, feeMonths: 12 }),
    points: 7.999999999999999,
    max: 15,
    evidence: '12 月数据\r\n见台账',
  }),
  line({
    lineId: `${runId}-P0001-party-party-branch`,
    section: 'party',
    sectionLabel: '党建引领',
    rule: 'party-branch',
    clause: '小区建立党支部，得 2 分',
    mainFact: 'hasPartyBranch',
    mainValue: false,
    factsText: factsText({ hasPartyBranch: false }),
    points: 0,
    max: 2,
  }),
  line({
    lineId: `${runId}-P0001-deduction-penalty`,
    section: 'deduction',
    sectionLabel: '扣分',
    rule: 'penalty',
    clause: '受到行政处罚，每次扣 5 分',
    mainFact: 'administrativePenalties',
    mainValue: 2,
    factsText: factsText({ administrativePenalties: 2 }),
    points: -10,
    evidence: 'E2025-001（2025-03-02，区城管局）占道经营',
  }),
  line({
    lineId: `${runId}-${company.uscc}-veto-fund-misuse`,
    projectCode: null,
    projectName: null,
    section: 'veto',
    sectionLabel: '一票否决',
    rule: 'fund-misuse',
    clause: '挪用专项维修资金，一票否决',
    mainFact: 'maintenanceFundMisuses',
    mainValue: 1,
    factsText: '挪用专项维修资金',
  }),
];

const secret = 'lo-check-secret';
const header: SignatureHeader = {
  version: 1,
  exportId: 1,
  runId,
  periodCode: period.code,
  uscc: company.uscc,
  revision: 0,
  issuedAt: '2026-01-05T02:00:00.000Z',
};
const sheets: MaterialSheet[] = [
  appealInstructionsSheet({ title: `${company.name} · 填写说明`, appealDeadline: '2026-01-20', revision: 0 }),
  { spec: appealScoresheetSpec(`${company.name} · 评分明细（可在黄色列填写申诉）`), rows: lines.map(appealScoresheetRow) },
  noticeSheet({ company, period, runId, revision: 0, publishedOn: '2026-01-05', appealDeadline: '2026-01-20', rectificationDeadline: '2026-02-04', lines }),
];
const expected = signedCellsOfSheets(sheets);
const signature = signSheet(secret, header, expected);

async function main(): Promise<void> {
  const original = join(dir, 'appeal.xlsx');
  const writer = XlsxReportWriter.open(original);
  for (const s of [...sheets, signatureSheet(header, signature)]) await writer.addSheet(s.spec, s.rows);
  await writer.close();
  console.log(`work dir: ${dir}`);
  console.log(`LibreOffice: ${spawnSync('soffice', ['--version'], { encoding: 'utf8' }).stdout.trim()}`);

  const ours = await readAppealWorkbook(original);
  expect(verifySheet(secret, ours.signature, ours.cells, ours.signature.signature), `as written: signature verifies (${ours.cells.length} signed cells)`);

  // 1. plain re-save
  const resavedDir = join(dir, 'resaved');
  mkdirSync(resavedDir);
  const convert = spawnSync(
    'soffice',
    [`-env:UserInstallation=${profile}`, '--headless', '--norestore', '--convert-to', 'xlsx', '--outdir', resavedDir, original],
    { encoding: 'utf8', timeout: 180_000 },
  );
  console.log(`convert-to: exit ${convert.status} ${convert.stdout.trim()} ${convert.stderr.trim()}`);
  const resaved = join(resavedDir, 'appeal.xlsx');
  const plain = await readBack('re-saved unchanged', resaved);
  expect(plain.verified, 're-saved unchanged: signature verifies');
  expect(plain.book.lines.length === 0, 're-saved unchanged: no appeal line');

  // 2 and 3: edits through python-uno in a LibreOffice listening on a pipe
  const pipe = `redprop_lo_${process.pid}`;
  const office = spawn(
    'soffice',
    [`-env:UserInstallation=${profile}`, '--headless', '--invisible', '--norestore', '--nologo', `--accept=pipe,name=${pipe};urp;`],
    { detached: true, stdio: 'ignore' },
  );
  try {
    const sheet = '评分明细';
    const filled = join(dir, 'filled.xlsx');
    edit(pipe, original, filled, [
      { sheet, cell: 'M3', input: '96%' },
      { sheet, cell: 'N3', text: '第二季度问卷漏录 3 份，补录后满意率为 96%' },
      { sheet, cell: 'O3', text: '问卷补录清单.xlsx' },
      { sheet, cell: 'M5', text: '是' },
      { sheet, cell: 'N5', text: '党支部已于 2025 年 3 月成立' },
    ]);
    const fill = await readBack('filled in LibreOffice', filled);
    expect(fill.verified, 'filled in LibreOffice: signature verifies');
    const byRow = new Map(fill.book.lines.map((l) => [l.row, l]));
    const first = byRow.get(3);
    const parsed = first ? parseClaimedValue('satisfactionRate', first.claimed) : null;
    expect(fill.book.lines.length === 2, `filled in LibreOffice: two appeal lines (${JSON.stringify(fill.book.lines)})`);
    expect(
      first?.lineId === lines[0].lineId && parsed?.ok === true && parsed.value === 0.96 && first.evidence === '问卷补录清单.xlsx',
      `row 3: claim 96% read as ${JSON.stringify(first?.claimed)} → ${JSON.stringify(parsed)}`,
    );
    const fifth = byRow.get(5);
    expect(
      fifth?.lineId === lines[2].lineId && JSON.stringify(parseClaimedValue('hasPartyBranch', fifth.claimed)) === '{"ok":true,"value":true}',
      `row 5: claim 是 read as ${JSON.stringify(fifth?.claimed)}`,
    );

    const tampered = join(dir, 'tampered.xlsx');
    edit(pipe, original, tampered, [
      { sheet, cell: 'J3', number: 30, unprotect: true },
      { sheet, cell: 'N3', text: '满意率有误' },
    ]);
    const tamper = await readBack('locked cell changed in LibreOffice', tampered);
    const changes = diffCells(expected, tamper.book.cells);
    expect(!tamper.verified, 'locked cell changed: signature does not verify');
    expect(
      changes.length === 1 && changes[0].address === 'J3' && changes[0].expected === '27' && changes[0].actual === '30',
      `locked cell changed: diffCells → ${JSON.stringify(changes)}`,
    );
    edit(pipe, null, null, []);
  } finally {
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (office.exitCode === null) {
      try {
        process.kill(-office.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
}

function edit(pipe: string, source: string | null, target: string | null, edits: object[]): void {
  const args =
    source === null
      ? [join(packageRoot(), 'scripts', 'libreoffice-appeal-edit.py'), pipe, '--terminate']
      : [join(packageRoot(), 'scripts', 'libreoffice-appeal-edit.py'), pipe, source, target!, JSON.stringify(edits)];
  const run = spawnSync('/usr/bin/python3', args, { encoding: 'utf8', timeout: 180_000 });
  if (run.status !== 0) throw new Error(`python-uno failed (${run.status}): ${run.stderr}`);
  if (run.stdout.trim()) console.log(`  LibreOffice as loaded/edited: ${run.stdout.trim()}`);
}

async function readBack(what: string, path: string): Promise<{ book: AppealWorkbook; verified: boolean }> {
  const book = await readAppealWorkbook(path);
  const verified = verifySheet(secret, book.signature, book.cells, book.signature.signature);
  // the raw XML: exceljs does not understand LibreOffice's "true"/"false" protection attributes
  const zip = await JSZip.loadAsync(await readFile(path));
  const xml = async (name: string) => (await zip.file(name)?.async('string')) ?? '';
  console.log(`${what}: ${path}`);
  console.log(
    `  parts: ${Object.keys(zip.files)
      .filter((n) => !n.endsWith('/'))
      .sort()
      .join(' ')}`,
  );
  for (const sheet of (await xml('xl/workbook.xml')).match(/<sheet [^>]*>/g) ?? []) console.log(`  ${sheet}`);
  for (const name of Object.keys(zip.files)
    .filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))
    .sort()) {
    const text = await xml(name);
    console.log(
      `  ${name}: ${text.match(/<sheetProtection[^>]*>/)?.[0] ?? 'no sheetProtection'}${name.endsWith('sheet2.xml') ? ` M3=${text.match(/<c r="M3"[^>]*>(?:<v>[^<]*<\/v><\/c>)?/)?.[0]}` : ''}`,
    );
  }
  const unlocked = (await xml('xl/styles.xml')).match(/<protection[^>]*locked="(?:0|false)"[^>]*>/g) ?? [];
  console.log(`  styles with unlocked protection: ${unlocked.length} (${[...new Set(unlocked)].join(' ')})`);
  console.log(
    `  signed cells: ${book.cells.length} (expected ${expected.length}); differences: ${JSON.stringify(diffCells(expected, book.cells).slice(0, 5))}`,
  );
  return { book, verified };
}

main()
  .catch((error: unknown) => {
    failures.push(String(error));
    console.error(error);
  })
  .finally(() => {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    console.log(failures.length === 0 ? 'LibreOffice check passed' : `LibreOffice check FAILED: ${failures.length}`);
    process.exitCode = failures.length === 0 ? 0 : 1;
  });

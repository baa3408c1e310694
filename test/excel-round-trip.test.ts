import { EVERYTHING } from '../src/domain/access.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { AssessmentService } from '../src/assessment/assessment.service.js';
import { SpreadsheetImportService } from '../src/intake/excel/spreadsheet-import.service.js';
import { TemplateService } from '../src/intake/excel/template.service.js';
import { ReportsService } from '../src/reports/reports.service.js';
import { createTestApp, testConfig } from './support/app.js';
import { describeEachBackend } from './support/backends.js';
import { aCommunity, aCompany, aFee, aProject, aStreet, aSurveyAnswer, validUscc } from './support/factories.js';
import { familySheet, filledTemplate, reportRows, rowOf } from './support/spreadsheets.js';

describeEachBackend('Excel round trip: template → import → assessment → report', ({ database }) => {
  let app: INestApplicationContext;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redprop-round-trip-'));
    app = await createTestApp(database(), testConfig({ reportsDir: join(dir, 'reports') }));
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads back in the street annual what the street office typed into the templates', async () => {
    const templates = app.get(TemplateService);
    const importer = app.get(SpreadsheetImportService);
    const company = aCompany({ uscc: validUscc(42), name: '成都锦城红色物业服务有限公司' });
    const projects = [
      aProject({ code: 'XM20250001', name: '浣花溪畔', companyUscc: company.uscc, households: 320, occupiedHouseholds: 300 }),
      aProject({ code: 'XM20250002', name: '草堂雅居', companyUscc: company.uscc, households: 180, occupiedHouseholds: 170, hasPartyBranch: false }),
    ];
    const master = await filledTemplate(templates, dir, 'master', '基础信息.xlsx', {
      街道: [rowOf(familySheet('master', 0), aStreet({ name: '草堂街道' }))],
      社区: [rowOf(familySheet('master', 1), aCommunity({ name: '浣花社区' }))],
      物业服务企业: [rowOf(familySheet('master', 2), company)],
      物业项目: projects.map((p) => rowOf(familySheet('master', 3), p)),
    });
    // 40 questionnaires each: 38 and 36 answers of 4 or 5 → 95 % and 90 %
    const answers = projects.flatMap((p, i) =>
      Array.from({ length: 40 }, (_, n) => aSurveyAnswer({ projectCode: p.code, respondentNo: n + 1, answer: n < (i === 0 ? 38 : 36) ? 5 : 2 })),
    );
    const surveys = await filledTemplate(templates, dir, 'surveys', '满意度调查.xlsx', {
      [familySheet('surveys').sheet]: answers.map((a) => rowOf(familySheet('surveys'), a)),
    });
    const fees = await filledTemplate(templates, dir, 'fees', '物业费收缴.xlsx', {
      [familySheet('fees').sheet]: [
        rowOf(
          familySheet('fees'),
          aFee({ projectCode: projects[0].code, householdsBilled: 300, householdsPaid: 291, billedAmount: 90000, collectedAmount: 87300.5 }),
        ),
        rowOf(
          familySheet('fees'),
          aFee({ projectCode: projects[1].code, householdsBilled: 170, householdsPaid: 153, billedAmount: 51000, collectedAmount: 45900 }),
        ),
      ],
    });
    for (const file of [master, surveys, fees]) await importer.importFile(file);

    await app.get(AssessmentService).run({ period: '2025', streetCode: null, publish: true });
    const report = await app.get(ReportsService).write({ kind: 'street-annual', period: '2025' }, EVERYTHING);
    const ranking = await reportRows(report.path, '项目排名');
    const byCode = new Map(ranking.map((r) => [r[1], r]));
    for (const p of projects) {
      // code, name, company, USCC, street, community, households: as typed
      expect(byCode.get(p.code)!.slice(1, 8)).toEqual([p.code, p.name, company.name, company.uscc, '草堂街道', '浣花社区', p.households]);
    }
    // satisfaction and fee points follow from the imported answers and fee rows: 95 % → 30, 90 % → 27; 97 % → 15, 90 % → 12
    expect(byCode.get('XM20250001')!.slice(8, 12)).toEqual([30, 15, 10, 15]);
    expect(byCode.get('XM20250002')!.slice(8, 12)).toEqual([27, 15, 10, 12]);
  });
});

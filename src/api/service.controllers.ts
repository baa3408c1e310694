import { Body, Controller, Get, HttpCode, Inject, Param, ParseIntPipe, Post, Query, UploadedFile } from '@nestjs/common';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { DatabaseAdminService } from '../db/database-admin.service.js';
import type { Principal } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import { IntakeService } from '../intake/intake.service.js';
import { SpreadsheetImportService } from '../intake/excel/spreadsheet-import.service.js';
import { ListsService } from '../lists/lists.service.js';
import { REPORT_KINDS } from '../reports/report-kinds.js';
import { ReportsService } from '../reports/reports.service.js';
import { TasksService } from '../tasks/tasks.service.js';
import { APP_CONFIG, SCHEDULE_JOBS, type AppConfig } from '../config/app-config.js';
import { ScheduledJobsService } from '../schedule/scheduled-jobs.service.js';
import { DEFAULT_IMPORT_LIMITS } from '../intake/excel/spreadsheet-file.js';
import { download, FileUpload, withUploadedFile, type UploadedFileBody } from './files.js';
import { parseBody, type BodySchema } from './body.js';
import { parseRecordsBody } from './intake.dto.js';
import { Endpoint } from './openapi/endpoint.decorator.js';

@Controller('health')
export class HealthController {
  constructor(private readonly admin: DatabaseAdminService) {}

  @Get()
  @Endpoint({
    tag: 'service',
    summary: 'liveness and database check (no key needed); 503 when the database does not answer',
    public: true,
    returns: { status: 200, description: '{ status: "ok", database: "pglite" | "postgres" }' },
  })
  async health() {
    try {
      await this.admin.ping();
    } catch (error) {
      throw new DomainError(
        'DATABASE_UNAVAILABLE',
        'unavailable',
        `database unavailable: ${error instanceof Error ? error.message : String(error)}`,
        '数据库不可用',
      );
    }
    return { status: 'ok', database: this.admin.backend };
  }
}

@Controller('jobs')
export class JobsController {
  constructor(private readonly tasks: TasksService) {}

  @Get(':id')
  @Endpoint({
    tag: 'service',
    summary: 'a task’s status, progress, result or coded error (the bureau sees all; others their own)',
    params: { id: { description: 'task id', type: 'integer' } },
    returns: { status: 200, description: 'the task' },
  })
  get(@Param('id', ParseIntPipe) id: number, @CurrentPrincipal() principal: Principal) {
    return this.tasks.get(id, principal);
  }

  @Get(':id/file')
  @Endpoint({
    tag: 'service',
    summary: 'the workbook a finished report task wrote',
    params: { id: { description: 'task id', type: 'integer' } },
    returns: { status: 200, description: 'the .xlsx', content: 'xlsx' },
  })
  async file(@Param('id', ParseIntPipe) id: number, @CurrentPrincipal() principal: Principal) {
    return download(await this.tasks.file(id, principal));
  }
}

interface ReportBody {
  kind: string;
  period: string;
  streetCode?: string;
  company?: string;
}

const REPORT_BODY: BodySchema = {
  kind: { type: 'string', required: true, enum: Object.keys(REPORT_KINDS) },
  period: { type: 'string', required: true, description: 'e.g. 2025 (street-annual), 2025-07 (monthly-bulletin), 2025-Q3 (quarterly-dispatch)' },
  streetCode: { type: 'string', description: 'one street (a street key: always its own)' },
  company: { type: 'string', description: 'company-scoresheet: 统一社会信用代码' },
};

@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly tasks: TasksService,
  ) {}

  @Post()
  @HttpCode(202)
  @Endpoint({
    tag: 'reports',
    summary: 'write a report workbook (a task: poll GET /jobs/{id}, then GET /jobs/{id}/file)',
    body: REPORT_BODY,
    returns: { status: 202, description: 'the task, queued' },
  })
  async start(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const b = parseBody<ReportBody>(body, REPORT_BODY);
    const prepared = await this.reports.prepare(
      { kind: b.kind, period: b.period, streetCode: b.streetCode ?? null, companyUscc: b.company ?? null },
      principal.scope,
    );
    const { kind, period, streetCode, companyUscc } = prepared.request;
    return this.tasks.start('report', { kind, period: period.code, streetCode, companyUscc }, principal, async (progress, taskId) => {
      progress(`生成 ${kind} ${period.code}`);
      const written = await this.reports.writePrepared(prepared, taskId);
      return { path: written.path, kind: written.kind, period: written.period, sheets: written.sheets, seconds: written.seconds };
    });
  }
}

@Controller()
export class RecordsController {
  constructor(private readonly lists: ListsService) {}

  @Get('lists')
  @Endpoint({
    tag: 'lists and ledger',
    summary: 'red and black list entries (with their history) started by the end of the period, in scope',
    query: { period: { description: 'e.g. 2025', required: true } },
    returns: { status: 200, description: 'entries' },
  })
  entries(@Query('period') period: string, @CurrentPrincipal() principal: Principal) {
    return this.lists.entries(period, principal.scope);
  }

  @Get('ledger')
  @Endpoint({
    tag: 'lists and ledger',
    summary: 'credit ledger (诚信台账) entries dated in a range, in scope; reversals included',
    query: { from: { description: 'YYYY-MM-DD', required: true }, to: { description: 'YYYY-MM-DD', required: true } },
    returns: { status: 200, description: 'entries' },
  })
  ledger(@Query('from') from: string, @Query('to') to: string, @CurrentPrincipal() principal: Principal) {
    return this.lists.ledger(from, to, principal.scope);
  }
}

@Controller('intake')
export class IntakeController {
  constructor(
    private readonly intake: IntakeService,
    private readonly imports: SpreadsheetImportService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('records')
  @HttpCode(201)
  @Endpoint({
    tag: 'intake',
    summary: 'submit master data or indicators as JSON: { records: { <kind>: [ {…} ] } }, merged by natural keys; all or nothing',
    description:
      'Kinds: streets, communities, companies, projects, surveyAnswers, complaints, fees, partyChecks, events, ratings; fields as in the import templates (redprop template <family>). Every fault is named; nothing is written when there is one.',
    roles: ['bureau'],
    body: { records: { type: 'object', required: true, description: 'record kind → records' } },
    returns: { status: 201, description: 'records stored per kind' },
  })
  records(@Body() body: unknown) {
    return this.intake.load(parseRecordsBody(body, this.config.timeZone), { mode: 'merge' });
  }

  @Post('upload')
  @HttpCode(201)
  @FileUpload(DEFAULT_IMPORT_LIMITS.maxBytes)
  @Endpoint({
    tag: 'intake',
    summary: 'upload a filled import template (.xlsx) or CSV (multipart field file); all or nothing',
    roles: ['bureau'],
    body: 'xlsx-upload',
    query: { dryRun: { description: 'true: check only, write nothing', enum: ['true', 'false'] } },
    returns: { status: 201, description: 'records stored (or that would be) per kind' },
  })
  upload(@UploadedFile() file: UploadedFileBody | undefined, @Query('dryRun') dryRun: string | undefined) {
    return withUploadedFile(file, (path) => this.imports.importFile(path, { dryRun: dryRun === 'true' }));
  }
}

interface JobRunBody {
  period: string;
  force?: boolean;
}

const JOB_RUN_BODY: BodySchema = {
  period: {
    type: 'string',
    required: true,
    description: 'monthly-bulletin: 2025-07; quarterly-dispatch: 2025-Q3; annual-assessment: 2025; appeal-window-closing: 2025-08-01',
  },
  force: { type: 'boolean', description: 'run again a period that already succeeded' },
};

@Controller('schedule')
export class ScheduleController {
  constructor(
    private readonly jobs: ScheduledJobsService,
    private readonly tasks: TasksService,
  ) {}

  @Get('firings')
  @Endpoint({
    tag: 'service',
    summary: 'scheduled firings: job, period, status, attempts, started, finished, outcome, output files',
    roles: ['bureau'],
    query: { job: { description: 'one job', enum: SCHEDULE_JOBS } },
    returns: { status: 200, description: 'firings' },
  })
  firings(@Query('job') job: string | undefined) {
    return this.jobs.list(job);
  }

  @Post('jobs/:job/run')
  @HttpCode(202)
  @Endpoint({
    tag: 'service',
    summary: 'run a scheduled job by hand for a period, exactly once per job and period unless force (a task: GET /jobs/{id})',
    roles: ['bureau'],
    params: { job: { description: 'the job', enum: SCHEDULE_JOBS } },
    body: JOB_RUN_BODY,
    returns: { status: 202, description: 'the task, queued' },
  })
  run(@Param('job') job: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const b = parseBody<JobRunBody>(body, JOB_RUN_BODY);
    const checked = this.jobs.check(job, b.period);
    return this.tasks.start('scheduled-job', { job: checked, period: b.period, force: b.force ?? false }, principal, async (progress) => {
      progress(`${checked} ${b.period}`);
      const result = await this.jobs.runManually(checked, b.period, b.force ?? false);
      const files = result.firing.outputFiles;
      return { firing: result.firing as unknown as Record<string, unknown>, ...(files.length === 1 ? { path: files[0] } : {}) };
    });
  }
}

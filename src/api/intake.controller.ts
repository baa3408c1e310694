import { Body, Controller, Post, Query, UploadedFile } from '@nestjs/common';
import type { z } from 'zod';
import { IntakeService } from '../intake/intake.service.js';
import { SpreadsheetImportService } from '../intake/excel/spreadsheet-import.service.js';
import { DEFAULT_IMPORT_LIMITS } from '../intake/excel/spreadsheet-file.js';
import { withUploadedFile, type UploadedFileBody } from './files.js';
import { ImportOutcome, LoadCounts, RecordsBody, UploadQuery } from './intake.dto.js';
import { Endpoint } from './openapi/endpoint.decorator.js';

@Controller('intake')
export class IntakeController {
  constructor(
    private readonly intake: IntakeService,
    private readonly imports: SpreadsheetImportService,
  ) {}

  @Post('records')
  @Endpoint({
    tag: 'intake',
    summary: 'submit master data or indicators as JSON: { records: { <kind>: [ {…} ] } }, merged by natural keys; all or nothing',
    description:
      'Kinds: streets, communities, companies, projects, surveyAnswers, complaints, fees, partyChecks, events, ratings; fields as in the import templates (redprop template <family>). Every fault is named; nothing is written when there is one.',
    roles: ['bureau'],
    status: 201,
    response: LoadCounts,
    responseDescription: 'records stored per kind',
  })
  records(@Body({ schema: RecordsBody }) body: RecordsBody): Promise<LoadCounts> {
    return this.intake.loadJson(body.records);
  }

  @Post('upload')
  @Endpoint({
    tag: 'intake',
    summary: 'upload a filled import template (.xlsx) or CSV (multipart field file); all or nothing',
    roles: ['bureau'],
    status: 201,
    response: ImportOutcome,
    responseDescription: 'records stored (or that would be) per kind',
    upload: { maxBytes: DEFAULT_IMPORT_LIMITS.maxBytes, description: 'a filled import template (.xlsx) or a CSV' },
    errors: [413, 429],
  })
  upload(@UploadedFile() file: UploadedFileBody | undefined, @Query({ schema: UploadQuery }) query: z.infer<typeof UploadQuery>): Promise<ImportOutcome> {
    return withUploadedFile(file, (path) => this.imports.importFile(path, { dryRun: query.dryRun }));
  }
}

import { Module } from '@nestjs/common';
import { ImportReferencesRepository } from './excel/import-references.repository.js';
import { SpreadsheetImportService } from './excel/spreadsheet-import.service.js';
import { TemplateService } from './excel/template.service.js';
import { IntakeRepository } from './intake.repository.js';
import { IntakeService } from './intake.service.js';

@Module({
  providers: [IntakeRepository, IntakeService, ImportReferencesRepository, SpreadsheetImportService, TemplateService],
  exports: [IntakeService, SpreadsheetImportService, TemplateService],
})
export class IntakeModule {}

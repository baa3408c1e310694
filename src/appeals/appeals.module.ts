import { Module } from '@nestjs/common';
import { AssessmentModule } from '../assessment/assessment.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { AppealSheetService } from './appeal-sheet.service.js';
import { AppealsRepository } from './appeals.repository.js';
import { AppealsService } from './appeals.service.js';
import { CreditRepairService } from './credit-repair.service.js';

/** Appeals (异议申诉) through the score sheet, their review, revisions, finality and credit repair (信用修复). */
@Module({
  imports: [AssessmentModule, ReportsModule],
  providers: [AppealsRepository, AppealsService, AppealSheetService, CreditRepairService],
  exports: [AppealsService, AppealSheetService, CreditRepairService],
})
export class AppealsModule {}

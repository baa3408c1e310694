import ExcelJS from 'exceljs';
import { SURVEY_CHANNELS } from '../domain/vocabulary.js';
import { sheetSpecOfKind } from '../intake/excel/families.js';

/**
 * A filled 满意度调查 sheet of `answers` answers over `projectCodes` (10 questions per
 * respondent), written with exceljs's streaming writer and shared strings as Excel saves them:
 * the import benchmark's workload.
 */
export async function writeSurveyWorkbook(path: string, projectCodes: readonly string[], month: string, answers: number): Promise<void> {
  const spec = sheetSpecOfKind('surveyAnswers');
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
  const sheet = writer.addWorksheet(spec.sheet);
  sheet.addRow(spec.columns.map((c) => c.header)).commit();
  const channels = Object.values(SURVEY_CHANNELS);
  const questions = 10;
  for (let i = 0; i < answers; i++) {
    const respondent = Math.floor(i / questions);
    const projectCode = projectCodes[respondent % projectCodes.length];
    const respondentNo = Math.floor(respondent / projectCodes.length) + 1;
    const answer = 1 + ((i * 7 + respondent * 3) % 5);
    sheet.addRow([projectCode, month, respondentNo, (i % questions) + 1, answer, channels[respondent % 2]]).commit();
  }
  sheet.commit();
  await writer.commit();
}

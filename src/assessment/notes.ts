/**
 * What the scoring core says about a result, as codes with parameters: the core and the stored
 * outcomes hold no sentences (the renderer in reports/note-text.ts writes them), so a digest never
 * covers wording and a note is found by its code, never by parsing text.
 */
import type { FactValue } from '../rules/rule-json.js';

/** A correction a revision applied, as its note tells it. */
export interface NoteChange {
  /** whose fact it is */
  level: 'project' | 'company';
  /**
   * the project and the score-sheet line the appeal objected to; null in a company's note for a
   * project's fact (a street office reads the company's result, not its projects in other streets)
   */
  projectCode: string | null;
  line: string | null;
  fact: string;
  from: FactValue;
  to: FactValue;
}

/** Every note the core writes, by code, with its parameters. */
export interface NoteParamsByCode {
  /** no survey answers and no fee months: not assessed (not a 0, not in the company mean) */
  'project.notAssessed': Record<string, never>;
  /** too few respondents: the satisfaction rate scored is the Wilson lower bound */
  'project.smallSample': { respondents: number; minimumSample: number; wilsonZ: number; wilsonBound: number; rawRate: number };
  'project.noSurvey': Record<string, never>;
  'project.noFees': Record<string, never>;
  /** a fact corrected by an accepted appeal of the period, applied by a later run */
  'correction.applied': { line: string; fact: string; from: FactValue; to: FactValue };
  /** the project's own vetoes take its stars; `reasons` are the veto rules' reasons as the rule set words them */
  'veto.noStars': { rules: string[]; reasons: string[] };
  /** a company-level veto takes the stars of the company's projects */
  'veto.companyNoStars': { rule: string; reason: string };
  'company.projectsNotAssessed': { count: number };
  /** a faulty rule set: no grade rule applies to the score */
  'company.noGradeRule': Record<string, never>;
  'company.noAssessedProjects': Record<string, never>;
  /** a veto sets the worst grade (`unscored`: the company had no assessed project) */
  'company.vetoGrade': { unscored: boolean; reasons: string[]; grade: string };
  /** a line of a summed part whose rules together gave more than the part's maximum */
  'line.partCapped': { sum: number; max: number };
  /** the first bonus line of a subject whose bonuses together passed the cap */
  'line.bonusCapped': { raw: number; capped: number; company: boolean };
  /** a band part for which no band applied */
  'line.noBand': Record<string, never>;
  /** why a list or ledger record changed: a republication of the period */
  'cause.republication': { runId: number; previousRunId: number };
  /** why a list or ledger record changed: an accepted appeal (named by its line number, never by its 行号, which names a project) */
  'cause.appealAccepted': { appealLineId: number };
  /** entering a list; `reasons` are the list rules' reasons as the rule set words them */
  'list.entered': { reasons: string[]; cause: Note | null };
  'list.held': { rule: string; cause: Note | null };
  /** a period in which an entry's condition no longer held; `minEndOn` when its minimum is not served yet */
  'list.cleared': { streak: number; minEndOn: string | null; exitAfterPeriods: number; cause: Note | null };
  'list.exited': { streak: number; cause: Note | null };
  'list.expired': Record<string, never>;
  /** an entry the period's runs made, withdrawn because the result changed */
  'list.withdrawn': { cause: Note };
  /** a black-list entry ended early by an approved credit repair; `reason` is the reviewer's */
  'list.repaired': { repairId: number; reason: string };
  /** a credit event's ledger entry; `description` and `source` as the event was recorded, `clause` as the rule set words it */
  'ledger.event': { eventNo: string; projectCode: string | null; occurredOn: string; source: string; description: string; clause: string };
  'ledger.reversal': { entryId: number; cause: Note };
  /** the revision of a result after accepted appeals; `subject` says whose note it is */
  revision: { revision: number; subject: 'project' | 'company'; changes: NoteChange[] };
  /**
   * a note stored as a sentence by an engine before notes had codes (redprop-scoring/2), with the
   * role its sentence had: a revision drops the scoring ones and keeps the revision ones last
   */
  legacyText: { text: string; role: 'facts' | 'scoring' | 'revision' };
}

export type NoteCode = keyof NoteParamsByCode;

export type Note = { [C in NoteCode]: { code: C; params: NoteParamsByCode[C] } }[NoteCode];

/** Every code, for the renderer's catalogue check. */
export const NOTE_CODES: readonly NoteCode[] = [
  'project.notAssessed',
  'project.smallSample',
  'project.noSurvey',
  'project.noFees',
  'correction.applied',
  'veto.noStars',
  'veto.companyNoStars',
  'company.projectsNotAssessed',
  'company.noGradeRule',
  'company.noAssessedProjects',
  'company.vetoGrade',
  'line.partCapped',
  'line.bonusCapped',
  'line.noBand',
  'cause.republication',
  'cause.appealAccepted',
  'list.entered',
  'list.held',
  'list.cleared',
  'list.exited',
  'list.expired',
  'list.withdrawn',
  'list.repaired',
  'ledger.event',
  'ledger.reversal',
  'revision',
  'legacyText',
];

export function note<C extends NoteCode>(code: C, params: NoteParamsByCode[C]): Note {
  return { code, params } as Note;
}

/** Notes the scoring writes afresh on every scoring of a subject (a revision drops the stored ones). */
export const SCORING_NOTE_CODES: ReadonlySet<NoteCode> = new Set(['veto.noStars', 'veto.companyNoStars']);

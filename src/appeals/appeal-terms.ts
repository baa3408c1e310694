import { addDays, localDate } from '../domain/clock.js';
import type { RuleSetParameters } from '../rules/rule-set.js';

/** The appeal procedure's deadlines in days. */
export type AppealTerms = NonNullable<RuleSetParameters['appeals']>;

/** The run's rule set decides; a set without appeal terms falls back to the configured ones. */
export function appealTerms(parameters: RuleSetParameters, fallback: { appealWindowDays: number; rectificationDays: number }): AppealTerms {
  return (
    parameters.appeals ?? {
      windowDays: fallback.appealWindowDays,
      resubmissionDays: fallback.appealWindowDays,
      rectificationDays: fallback.rectificationDays,
    }
  );
}

export interface AppealDates {
  /** the publication date (local) */
  publishedOn: string;
  /** the last day on which an appeal is taken (local, inclusive) */
  appealDeadline: string;
  /** the last day given to rectify a finding */
  rectificationDeadline: string;
}

export function appealDates(publishedAt: Date, terms: AppealTerms, timeZone: string): AppealDates {
  const publishedOn = localDate(publishedAt, timeZone);
  return {
    publishedOn,
    appealDeadline: addDays(publishedOn, terms.windowDays),
    rectificationDeadline: addDays(publishedOn, terms.rectificationDays),
  };
}

/** The last day on which a rejected line may be answered: the later of the window and the answer period. */
export function answerDeadline(appealDeadline: string, rejectedAt: Date, terms: AppealTerms, timeZone: string): string {
  const answerBy = addDays(localDate(rejectedAt, timeZone), terms.resubmissionDays);
  return answerBy > appealDeadline ? answerBy : appealDeadline;
}

/** Whether a deadline (inclusive, local date) has passed at an instant. */
export function isPast(deadline: string, now: Date, timeZone: string): boolean {
  return localDate(now, timeZone) > deadline;
}

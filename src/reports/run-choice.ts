/** Which stored run a report is made from. Pure. */
import type { RunInfo } from './report-data.js';

/**
 * The run that answers for a period, as `AssessmentService.runForPeriod` chooses it: the published
 * run, else the newest. For one street, that street's own run is preferred when it is published;
 * otherwise the run of every street (filtered to the street by the report) is used, and only
 * then an unpublished run. `runs` are newest first.
 */
export function chooseRun(runs: readonly RunInfo[], streetCode: string | null): RunInfo | null {
  const of = (scope: string | null) => runs.filter((r) => r.streetCode === scope);
  const published = (list: RunInfo[]) => list.find((r) => r.status === 'published');
  const all = of(null);
  if (streetCode === null) return published(all) ?? all[0] ?? null;
  const own = of(streetCode);
  return published(own) ?? published(all) ?? own[0] ?? all[0] ?? null;
}

/** The published run of exactly this scope, if any (for the comparison with the previous period). */
export function publishedRun(runs: readonly RunInfo[], streetCode: string | null): RunInfo | null {
  return runs.find((r) => r.status === 'published' && r.streetCode === streetCode) ?? null;
}

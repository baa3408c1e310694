import type { RunSummary } from './assessment.service.js';
import type { AssessmentBatch } from './scoring.js';

/** A run's summary counted batch by batch. */
export class RunSummaryCounter {
  private readonly stars: Record<string, number> = {};
  private readonly grades: Record<string, number> = {};
  private readonly summary: RunSummary = {
    projectsAssessed: 0,
    projectsNotAssessed: 0,
    stars: {},
    grades: {},
    redListDecisions: 0,
    blackListDecisions: 0,
    smallSampleProjects: 0,
    vetoedCompanies: 0,
  };
  projects = 0;

  add(batch: AssessmentBatch): void {
    const s = this.summary;
    const count = (counts: Record<string, number>, value: string | number | null) => {
      if (value !== null) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
    };
    for (const p of batch.projects) {
      this.projects++;
      if (!p.assessed) {
        s.projectsNotAssessed++;
        continue;
      }
      s.projectsAssessed++;
      count(this.stars, p.stars);
      if (p.facts.smallSample === true) s.smallSampleProjects++;
    }
    for (const c of batch.companies) {
      count(this.grades, c.grade);
      if (c.lists.some((l) => l.list === 'red')) s.redListDecisions++;
      if (c.lists.some((l) => l.list === 'black')) s.blackListDecisions++;
      if (c.vetoes.length > 0) s.vetoedCompanies++;
    }
  }

  value(): RunSummary {
    const sorted = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
    return { ...this.summary, stars: sorted(this.stars), grades: sorted(this.grades) };
  }
}

/** What-if: how a draft rule set moves projects and companies against a stored run. Pure. */

export interface ComparedProject {
  projectCode: string;
  projectName: string;
  companyUscc: string;
  total: number | null;
  stars: number | null;
}

export interface ComparedCompany {
  uscc: string;
  name: string;
  score: number | null;
  grade: string | null;
  lists: readonly { list: 'red' | 'black' }[];
}

export interface ProjectChange {
  projectCode: string;
  projectName: string;
  companyUscc: string;
  before: { total: number | null; stars: number | null };
  after: { total: number | null; stars: number | null };
  delta: number;
}

export interface CompanyChange {
  uscc: string;
  name: string;
  before: { score: number | null; grade: string | null; lists: string[] };
  after: { score: number | null; grade: string | null; lists: string[] };
  delta: number;
  /** grade steps up (positive) or down (negative) */
  gradeMove: number;
}

export interface ComparisonSummary {
  projects: number;
  projectsChanged: number;
  starsUp: number;
  starsDown: number;
  companies: number;
  companiesChanged: number;
  gradeUp: number;
  gradeDown: number;
  enteredRed: number;
  leftRed: number;
  enteredBlack: number;
  leftBlack: number;
}

export interface Comparison {
  projects: ProjectChange[];
  companies: CompanyChange[];
  summary: ComparisonSummary;
}

const cents = (x: number | null) => (x === null ? 0 : Math.round(x * 100));
const listsOf = (c: ComparedCompany | undefined) => [...new Set((c?.lists ?? []).map((l) => l.list))].sort();

/** Every project and company of either side, largest change first (then by code). */
export function compareOutcomes(
  before: { projects: readonly ComparedProject[]; companies: readonly ComparedCompany[] },
  after: { projects: readonly ComparedProject[]; companies: readonly ComparedCompany[] },
  grades: readonly string[],
): Comparison {
  const oldProjects = new Map(before.projects.map((p) => [p.projectCode, p]));
  const newProjects = new Map(after.projects.map((p) => [p.projectCode, p]));
  const projects: ProjectChange[] = [...new Set([...oldProjects.keys(), ...newProjects.keys()])].map((code) => {
    const o = oldProjects.get(code);
    const n = newProjects.get(code);
    const any = (n ?? o)!;
    return {
      projectCode: code,
      projectName: any.projectName,
      companyUscc: any.companyUscc,
      before: { total: o?.total ?? null, stars: o?.stars ?? null },
      after: { total: n?.total ?? null, stars: n?.stars ?? null },
      delta: (cents(n?.total ?? null) - cents(o?.total ?? null)) / 100,
    };
  });
  const oldCompanies = new Map(before.companies.map((c) => [c.uscc, c]));
  const newCompanies = new Map(after.companies.map((c) => [c.uscc, c]));
  const rank = (grade: string | null) => (grade === null ? null : grades.length - grades.indexOf(grade));
  const companies: CompanyChange[] = [...new Set([...oldCompanies.keys(), ...newCompanies.keys()])].map((uscc) => {
    const o = oldCompanies.get(uscc);
    const n = newCompanies.get(uscc);
    const oldRank = rank(o?.grade ?? null);
    const newRank = rank(n?.grade ?? null);
    return {
      uscc,
      name: (n ?? o)!.name,
      before: { score: o?.score ?? null, grade: o?.grade ?? null, lists: listsOf(o) },
      after: { score: n?.score ?? null, grade: n?.grade ?? null, lists: listsOf(n) },
      delta: (cents(n?.score ?? null) - cents(o?.score ?? null)) / 100,
      gradeMove: oldRank === null || newRank === null ? 0 : newRank - oldRank,
    };
  });
  const bySize =
    <T extends { delta: number }>(key: (x: T) => string) =>
    (a: T, b: T) =>
      Math.abs(b.delta) - Math.abs(a.delta) || key(a).localeCompare(key(b));
  projects.sort(bySize((p) => p.projectCode));
  companies.sort((a, b) => Math.abs(b.gradeMove) - Math.abs(a.gradeMove) || bySize<CompanyChange>((c) => c.uscc)(a, b));

  const entered = (list: string) => companies.filter((c) => c.after.lists.includes(list) && !c.before.lists.includes(list)).length;
  const left = (list: string) => companies.filter((c) => c.before.lists.includes(list) && !c.after.lists.includes(list)).length;
  const starMove = (p: ProjectChange) => (p.after.stars ?? 0) - (p.before.stars ?? 0);
  return {
    projects,
    companies,
    summary: {
      projects: projects.length,
      projectsChanged: projects.filter((p) => p.delta !== 0 || starMove(p) !== 0).length,
      starsUp: projects.filter((p) => starMove(p) > 0).length,
      starsDown: projects.filter((p) => starMove(p) < 0).length,
      companies: companies.length,
      companiesChanged: companies.filter((c) => c.delta !== 0 || c.gradeMove !== 0 || c.before.lists.join() !== c.after.lists.join()).length,
      gradeUp: companies.filter((c) => c.gradeMove > 0).length,
      gradeDown: companies.filter((c) => c.gradeMove < 0).length,
      enteredRed: entered('red'),
      leftRed: left('red'),
      enteredBlack: entered('black'),
      leftBlack: left('black'),
    },
  };
}

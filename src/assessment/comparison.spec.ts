import { compareOutcomes, type ComparedCompany, type ComparedProject } from './comparison.js';

const grades = ['AAA', 'AA', 'A', 'B', 'C'];
const project = (code: string, total: number | null, stars: number | null): ComparedProject => ({
  projectCode: code,
  projectName: code,
  companyUscc: 'U',
  total,
  stars,
});
const company = (uscc: string, score: number, grade: string, lists: ('red' | 'black')[] = []): ComparedCompany => ({
  uscc,
  name: uscc,
  score,
  grade,
  lists: lists.map((list) => ({ list })),
});

describe('what-if comparison', () => {
  it('sorts by size of change and counts moves between grades and lists', () => {
    const result = compareOutcomes(
      {
        projects: [project('P1', 95, 5), project('P2', 80, 4), project('P3', 70, 3)],
        companies: [company('A', 86, 'AAA', ['red']), company('B', 81, 'AA'), company('C', 55, 'C', ['black'])],
      },
      {
        projects: [project('P1', 92, 5), project('P2', 77, 3), project('P3', 70, 3)],
        companies: [company('A', 84, 'AA'), company('B', 81, 'AA'), company('C', 61, 'B')],
      },
      grades,
    );
    expect(result.projects.map((p) => [p.projectCode, p.delta])).toEqual([
      ['P1', -3],
      ['P2', -3],
      ['P3', 0],
    ]);
    expect(result.companies.map((c) => [c.uscc, c.gradeMove, c.delta])).toEqual([
      ['C', 1, 6],
      ['A', -1, -2],
      ['B', 0, 0],
    ]);
    expect(result.summary).toEqual({
      projects: 3,
      projectsChanged: 2,
      starsUp: 0,
      starsDown: 1,
      companies: 3,
      companiesChanged: 2,
      gradeUp: 1,
      gradeDown: 1,
      enteredRed: 0,
      leftRed: 1,
      enteredBlack: 0,
      leftBlack: 1,
    });
  });
});

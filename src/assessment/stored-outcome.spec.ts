import { note } from './notes.js';
import type { CompanyOutcome, ProjectOutcome } from './scoring.js';
import { digestOf, OutcomeDigest, outcomesDigest, storedNote } from './stored-outcome.js';

const project = (fields: object) => fields as ProjectOutcome;
const company = (fields: object) => fields as CompanyOutcome;

describe('stored outcomes', () => {
  it('digests structured data whatever its key order', () => {
    expect(digestOf({ a: 1, b: { c: [1, 2], d: null } })).toBe(digestOf({ b: { d: null, c: [1, 2] }, a: 1 }));
    expect(outcomesDigest([project({ total: 80, notes: [note('project.noFees', {})] })], [])).toBe(
      outcomesDigest([project({ notes: [{ params: {}, code: 'project.noFees' }], total: 80 })], []),
    );
    expect(outcomesDigest([project({ total: 80 })], [])).not.toBe(outcomesDigest([project({ total: 81 })], []));
  });

  it('digests outcomes company after company, however they are batched, and gives the JSON it hashed', () => {
    const projects = [project({ companyId: 1, total: 80 }), project({ companyId: 1, total: 70 }), project({ companyId: 2, total: 90 })];
    const companies = [company({ companyId: 1, score: 75 }), company({ companyId: 2, score: 90 })];
    const inBatches = new OutcomeDigest();
    const first = inBatches.add({ projects: projects.slice(0, 2), companies: companies.slice(0, 1) });
    inBatches.add({ projects: projects.slice(2), companies: companies.slice(1) });
    expect(inBatches.value()).toBe(outcomesDigest(projects, companies));
    expect(first.projects.map((p) => p.json)).toEqual(['{"companyId":1,"total":80}', '{"companyId":1,"total":70}']);
    expect(outcomesDigest(projects, [...companies].reverse())).not.toBe(outcomesDigest(projects, companies));
  });

  it('reads the sentences of redprop-scoring/2 outcomes as legacy notes with their role', () => {
    expect(storedNote('企业一票否决（存在严重失信行为），不评星')).toEqual(
      note('legacyText', { text: '企业一票否决（存在严重失信行为），不评星', role: 'scoring' }),
    );
    expect(storedNote('第 1 次修订：申诉成立（行号 l1），“违规查处次数”由 3 更正为 0').params).toMatchObject({ role: 'revision' });
    expect(storedNote('考核期内无物业费收缴数据，收缴率不得分').params).toMatchObject({ role: 'facts' });
    expect(storedNote(note('project.noFees', {}))).toEqual(note('project.noFees', {}));
  });
});

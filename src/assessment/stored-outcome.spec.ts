import { note } from './notes.js';
import { digestOf, outcomesDigest, storedNote } from './stored-outcome.js';

describe('stored outcomes', () => {
  it('digests structured data whatever its key order', () => {
    expect(digestOf({ a: 1, b: { c: [1, 2], d: null } })).toBe(digestOf({ b: { d: null, c: [1, 2] }, a: 1 }));
    expect(outcomesDigest([{ total: 80, notes: [note('project.noFees', {})] }], [])).toBe(
      outcomesDigest([{ notes: [{ params: {}, code: 'project.noFees' }], total: 80 }], []),
    );
    expect(outcomesDigest([{ total: 80 }], [])).not.toBe(outcomesDigest([{ total: 81 }], []));
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

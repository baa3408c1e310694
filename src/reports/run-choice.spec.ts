import type { RunInfo } from './report-data.js';
import { chooseRun, publishedRun } from './run-choice.js';

const run = (id: number, streetCode: string | null, status: RunInfo['status']): RunInfo => ({
  id,
  periodCode: '2025',
  streetCode,
  ruleSetName: 'default',
  ruleSetVersion: '1',
  ruleSetFingerprint: 'f',
  engineVersion: 'e',
  inputDigest: 'i',
  fingerprint: 'p',
  outcomeDigest: 'o',
  status,
  createdAt: new Date(0),
  publishedAt: null,
});

describe('chooseRun', () => {
  it('takes the published run of every street, else the newest', () => {
    expect(chooseRun([run(3, null, 'draft'), run(2, null, 'published'), run(1, null, 'superseded')], null)?.id).toBe(2);
    expect(chooseRun([run(3, null, 'draft'), run(1, null, 'superseded')], null)?.id).toBe(3);
    expect(chooseRun([run(4, 'S1', 'published')], null)).toBeNull();
  });

  it('for a street prefers its own published run, then the published run of every street', () => {
    const runs = [run(5, 'S1', 'draft'), run(4, null, 'published'), run(3, 'S1', 'published')];
    expect(chooseRun(runs, 'S1')?.id).toBe(3);
    expect(chooseRun(runs, 'S2')?.id).toBe(4);
    expect(chooseRun([run(5, 'S1', 'draft'), run(4, null, 'draft')], 'S1')?.id).toBe(5);
  });

  it('finds the published run of exactly one scope', () => {
    expect(publishedRun([run(2, 'S1', 'published'), run(1, null, 'draft')], null)).toBeNull();
    expect(publishedRun([run(2, 'S1', 'published')], 'S1')?.id).toBe(2);
  });
});

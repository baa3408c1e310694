import { DomainError } from '../domain/errors.js';
import { loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('defaults to embedded PGlite under .data/pglite', () => {
    const config = loadConfig({}, '/srv/redprop');
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '/srv/redprop/.data/pglite' });
    expect(config).toMatchObject({ reportsDir: '/srv/redprop/reports', appealWindowDays: 15, timeZone: 'Asia/Shanghai', httpPort: 3000 });
    expect(config.draftRetentionDays).toBe(30);
  });

  it('keeps draft runs a whole number of days from 1', () => {
    expect(loadConfig({ REDPROP_DRAFT_RETENTION_DAYS: '90' }).draftRetentionDays).toBe(90);
    for (const bad of ['0', '2.5', 'month']) {
      expect(() => loadConfig({ REDPROP_DRAFT_RETENTION_DAYS: bad })).toThrow(DomainError);
    }
  });

  it('uses the server when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/redprop' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://127.0.0.1/redprop',
    });
  });

  it('reports every bad value at once', () => {
    let error: DomainError | undefined;
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', REDPROP_APPEAL_WINDOW_DAYS: '0', REDPROP_TIME_ZONE: 'Mars/Base' });
    } catch (e) {
      error = e as DomainError;
    }
    expect(error?.code).toBe('CONFIG_INVALID');
    expect(error?.details).toHaveLength(3);
  });

  it("checks cron patterns with the scheduler's own parser", () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (e) {
        return (e as DomainError).details;
      }
    };
    expect(problems({ REDPROP_CRON_MONTHLY_BULLETIN: '99 9 5 * *' })).toEqual([
      expect.stringContaining('REDPROP_CRON_MONTHLY_BULLETIN is not a valid cron pattern: "99 9 5 * *"'),
    ]);
    expect(problems({ REDPROP_CRON_ANNUAL_ASSESSMENT: '0 9 31 2 *' })).toEqual([
      'REDPROP_CRON_ANNUAL_ASSESSMENT is not a valid cron pattern: "0 9 31 2 *" (it never fires)',
    ]);
    expect(problems({ REDPROP_CRON_APPEAL_WINDOW_CLOSING: '0 1 * * * *' })).toEqual([expect.stringContaining('must be a cron pattern of 5 fields')]);
    expect(problems({ REDPROP_CRON_QUARTERLY_DISPATCH: '30 8 10 1,4,7,10 *' })).toEqual([]);
  });
});

import { DomainError } from '../domain/errors.js';
import { loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('defaults to embedded PGlite under .data/pglite', () => {
    const config = loadConfig({}, '/srv/redprop');
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '/srv/redprop/.data/pglite' });
    expect(config).toMatchObject({ reportsDir: '/srv/redprop/reports', appealWindowDays: 15, timeZone: 'Asia/Shanghai', httpPort: 3000 });
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
});

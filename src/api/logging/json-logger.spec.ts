import { JsonLogger } from './json-logger.js';
import { requestContext } from './request-context.js';

describe('JsonLogger', () => {
  it('writes one JSON object per line with level, context and, inside a request, its id', () => {
    const lines: string[] = [];
    const logger = new JsonLogger(['log', 'error'], (line) => lines.push(line));
    logger.log('started', 'Bootstrap');
    requestContext.run({ requestId: 'r-1' }, () => logger.error('failed', 'Error: x\n    at y', 'HTTP'));
    logger.debug('hidden', 'X');
    logger.log({ message: 'GET /runs 200', status: 200 }, 'HTTP');
    expect(lines.every((l) => l.endsWith('\n'))).toBe(true);
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed).toHaveLength(3);
    expect(parsed[0]).toMatchObject({ level: 'log', context: 'Bootstrap', message: 'started' });
    expect(parsed[0]).not.toHaveProperty('requestId');
    expect(parsed[1]).toMatchObject({ level: 'error', context: 'HTTP', message: 'failed', requestId: 'r-1', stack: 'Error: x\n    at y' });
    expect(parsed[2]).toMatchObject({ context: 'HTTP', message: 'GET /runs 200', status: 200 });
  });
});

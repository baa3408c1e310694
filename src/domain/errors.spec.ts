import { badInput, DomainError, TooManyRequestsError, ValidationFailedError } from './errors.js';

describe('DomainError', () => {
  it('takes its category from the catalogue', () => {
    const error = new DomainError('RUN_NOT_FOUND', 'run 9 not found', '考核运行 #9 不存在');
    expect(error).toMatchObject({
      name: 'DomainError',
      code: 'RUN_NOT_FOUND',
      category: 'not_found',
      message: 'run 9 not found',
      messageZh: '考核运行 #9 不存在',
      details: [],
    });
    expect(new DomainError('CONFIG_INVALID', 'invalid configuration', '配置有误', ['PORT']).details).toEqual(['PORT']);
  });

  it('keeps the helpers and subclasses', () => {
    expect(badInput('PERIOD_INVALID', 'invalid period "x"', '考核周期“x”无效', ['x'])).toMatchObject({
      code: 'PERIOD_INVALID',
      category: 'bad_input',
      details: ['x'],
    });
    const busy = new TooManyRequestsError('SERVER_BUSY', 'busy', '繁忙', 10);
    expect(busy).toBeInstanceOf(DomainError);
    expect(busy).toMatchObject({ category: 'too_many_requests', retryAfterSeconds: 10 });
    expect(new ValidationFailedError([])).toMatchObject({ code: 'VALIDATION_FAILED', category: 'bad_input' });
  });
});

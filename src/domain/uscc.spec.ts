import { organisationCodeCheckCharacter, usccCheckCharacter, usccProblem } from './uscc.js';

describe('统一社会信用代码', () => {
  // Published codes of real organisations (check characters computed by their registrars).
  it.each(['91350100M000100Y43', '91110000600037341L', '91310000717866186P'])('accepts %s', (code) => {
    expect(usccProblem(code)).toBeNull();
  });

  it('rejects a wrong check character', () => {
    expect(usccProblem('91350100M000100Y44')).toBe('check_digit');
  });

  it('rejects a wrong length and letters outside the alphabet', () => {
    expect(usccProblem('91350100M000100Y4')).toBe('length');
    expect(usccProblem('91350100M000100O43')).toBe('alphabet');
  });

  it('computes the check character for the first 17', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
    expect(usccCheckCharacter('91350100M000100I4')).toBeNull();
  });

  it('computes the GB 11714 organisation code check character', () => {
    // 60003734-1 is the organisation code inside 91110000600037341L
    expect(organisationCodeCheckCharacter('60003734')).toBe('1');
    // letters count A=10 … Z=35, so J is 19:
    // sum = 19×3 = 57, 57 mod 11 = 2, 11 − 2 = 9
    expect(organisationCodeCheckCharacter('J0000000')).toBe('9');
  });
});

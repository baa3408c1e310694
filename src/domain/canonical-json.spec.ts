import { canonicalJson } from './canonical-json.js';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys at every depth and ignores insertion order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it('writes numbers and strings as ECMAScript does (RFC 8785 §3.2.2)', () => {
    expect(canonicalJson([1e21, 1e-7, 0.1 + 0.2, -0, 100])).toBe('[1e+21,1e-7,0.30000000000000004,0,100]');
    expect(canonicalJson('€\u0001"\\')).toBe('"€\\u0001\\"\\\\"');
  });

  it('sorts keys by UTF-16 code units (RFC 8785 §3.2.3)', () => {
    expect(canonicalJson({ '\u20ac': 1, '\r': 2, '\ud83d\ude00': 3, '1': 4, '\u00f6': 5 })).toBe('{"\\r":2,"1":4,"ö":5,"€":1,"😀":3}');
  });

  it('leaves out undefined members and refuses non-finite numbers', () => {
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
  });
  it('refuses a lone surrogate (RFC 8785 section 3.2.2.2) and keeps a pair', () => {
    expect(() => canonicalJson({ reason: 'a\ud800b' })).toThrow(TypeError);
    expect(() => canonicalJson(['\udc00'])).toThrow(TypeError);
    expect(canonicalJson('😀"')).toBe(JSON.stringify('😀"'));
  });
});

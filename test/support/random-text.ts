import iconv from 'iconv-lite';
import { Random } from '../../seeds/generator/random.js';

/**
 * Random text as people type it into a register of names: Chinese (common and rare, astral
 * extension B), emoji (with skin tones, ZWJ families, flags, variation selectors), full-width
 * punctuation, Latin with combining marks, digits and the characters XML and CSV escape. No
 * control characters (XML 1.0 cannot hold most of them), no white space at either end (a cell's
 * text is trimmed on import), and no `_xHHHH_` (a spreadsheet's own escape, ECMA-376 ST_Xstring).
 */
const PIECES: readonly (readonly string[])[] = [
  // common Chinese
  Array.from('锦江区望花园小区物业服务有限公司草堂街道浣花社区金牛成华武侯青羊新都龙泉驿温江双流郫都蜀信府南河畔翠苑雅居'),
  // rare Chinese, astral (4 bytes in UTF-8, a surrogate pair in JavaScript)
  ['𠮷', '𡘙', '𪚥', '𤭢', '𠀋', '𣎴', '𩸽', '𫟼'],
  // emoji
  ['🏠', '🏢', '😀', '👍🏽', '👨‍👩‍👧‍👦', '🇨🇳', '❤️', '🧑‍🔧', '✅', '🌸'],
  // full-width and Chinese punctuation
  Array.from('（），。、“”‘’《》【】：；！？·—…'),
  // ASCII, with what XML and CSV escape
  Array.from('ABCXYZabcxyz0123456789 -&<>"\',;#%/'),
  // Latin with accents, precomposed and combining; Greek, Cyrillic, Japanese kana, Korean
  ['é', 'e\u0301', 'ß', 'Ω', 'Ж', 'の', 'カ', '한'],
];

export function randomText(random: Random, minLength: number, maxLength: number): string {
  for (;;) {
    const length = minLength + random.int(maxLength - minLength + 1);
    let text = '';
    for (let i = 0; i < length; i++) {
      const piece = PIECES[random.int(PIECES.length)];
      text += piece[random.int(piece.length)];
    }
    text = text.trim();
    if (text.length >= 1 && !/_x[0-9A-Fa-f]{4}_/.test(text)) return text;
  }
}

/** Characters GBK encodes (GB 2312 Chinese, full-width punctuation, ASCII): what a GBK CSV can hold. */
const GBK_CHARACTERS = Array.from(
  '锦江区望花园小区物业服务有限公司草堂街道浣花社区金牛成华武侯青羊新都龙泉驿温江双流郫都蜀信府南河畔翠苑雅居（），。、“”《》：；！？ABCxyz0123456789 -&<>,"\'',
).filter((ch) => iconv.decode(iconv.encode(ch, 'gbk'), 'gbk') === ch);

export function randomGbkText(random: Random, minLength: number, maxLength: number): string {
  for (;;) {
    const length = minLength + random.int(maxLength - minLength + 1);
    let text = '';
    for (let i = 0; i < length; i++) text += GBK_CHARACTERS[random.int(GBK_CHARACTERS.length)];
    text = text.trim();
    if (text.length >= 1) return text;
  }
}

export function seededRandom(seed: number): Random {
  return new Random(seed, 0x9e3779b9, 0x243f6a88, 0xb7e15162);
}

export const encodeGbk = (text: string): Buffer => iconv.encode(text, 'gbk');

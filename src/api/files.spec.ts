import { uploadName } from './files.js';

const asMulter = (name: string) => Buffer.from(name, 'utf8').toString('latin1');

describe('the name an upload is kept under', () => {
  it('keeps a usual name as it is, in UTF-8', () => {
    expect(uploadName(asMulter('草堂街道满意度调查.xlsx'))).toBe('草堂街道满意度调查.xlsx');
  });

  it('shortens a long one once, to whole characters, keeping the extension', () => {
    const long = uploadName(asMulter(`${'满意度'.repeat(300)}.xlsx`));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(120);
    expect(long).toMatch(/^(满意度)+满?意?…\.xlsx$/);
    expect(Buffer.byteLength(uploadName(asMulter('物'.repeat(16_000))))).toBeLessThanOrEqual(120);
  });

  it('drops folders and control characters', () => {
    expect(uploadName(asMulter('..\\..\\etc/passwd\u0000.xlsx'))).toBe('passwd.xlsx');
    expect(uploadName('')).toBe('upload.xlsx');
  });
});

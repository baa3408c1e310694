import { decodeXstring, MAX_TEXT_RUN, parseXmlPart, XmlPartError } from './xml-part.js';

/** Collects the text of every `<t>` of a document fed in the given chunks. */
async function textsOf(chunks: Buffer[]): Promise<string[]> {
  const texts: string[] = [];
  let current: string | null = null;
  for await (const _ of parseXmlPart('x.xml', asChunks(chunks), {
    open: (name) => {
      if (name === 't') current = '';
    },
    close: (name) => {
      if (name === 't') {
        texts.push(current!);
        current = null;
      }
    },
    text: (text) => {
      if (current !== null) current += text;
    },
  }));
  return texts;
}

async function* asChunks(chunks: Buffer[]) {
  yield* chunks;
}

describe('parsing a part as its bytes arrive', () => {
  const value = '锦江区·望江路🏠小区 Ⅱ期 & <A> “引号” 𠮷野家';
  const xml = Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><sst><si><t>${value.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</t></si></sst>`,
  );

  it('keeps every character whichever byte a chunk boundary falls on', async () => {
    for (let cut = 1; cut < xml.length; cut++) {
      expect(await textsOf([xml.subarray(0, cut), xml.subarray(cut)])).toEqual([value]);
    }
    // one byte at a time
    expect(await textsOf(Array.from(xml, (b) => Buffer.from([b])))).toEqual([value]);
  });

  it('reads UTF-16 with its byte order mark', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`<sst><si><t>${'望江🏠'}</t></si></sst>`, 'utf16le')]);
    expect(await textsOf([utf16.subarray(0, 7), utf16.subarray(7)])).toEqual(['望江🏠']);
  });

  it('refuses bytes that are not UTF-8 instead of replacing them', async () => {
    const broken = Buffer.concat([Buffer.from('<sst><si><t>望'), Buffer.from([0xe6, 0x9c]), Buffer.from('</t></si></sst>')]);
    await expect(textsOf([broken])).rejects.toThrow(XmlPartError);
    await expect(textsOf([broken])).rejects.toThrow('not valid in its encoding');
  });

  it('refuses a part that ends mid-element, and one that is empty', async () => {
    await expect(textsOf([Buffer.from('<sst><si><t>望江</t></si><si><t>半')])).rejects.toThrow(/x\.xml: .*unclosed/i);
    await expect(textsOf([])).rejects.toThrow('empty part');
  });

  it("expands no entity beyond XML's own", async () => {
    const withEntity = Buffer.from('<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]><sst><si><t>&a;</t></si></sst>');
    await expect(textsOf([withEntity])).rejects.toThrow(XmlPartError);
  });

  it('refuses a run of text, a tag or a CDATA section the parser would buffer whole, whatever the chunks', async () => {
    const long = 'A'.repeat(MAX_TEXT_RUN + 1);
    const chunked = (text: string) => Array.from({ length: Math.ceil(text.length / 10_000) }, (_, i) => Buffer.from(text.slice(i * 10_000, (i + 1) * 10_000)));
    await expect(textsOf(chunked(`<sst><si><t>${long}</t></si></sst>`))).rejects.toThrow(/longer than/);
    await expect(textsOf(chunked(`<sst><si a="${long}"><t>x</t></si></sst>`))).rejects.toThrow(/longer than/);
    // a CDATA section may hold `<`; it is one run all the same, even with its marker split between chunks
    const cdata = Buffer.from(`<sst><si><t><![CDATA[${'a<b'.repeat(MAX_TEXT_RUN / 2)}]]></t></si></sst>`);
    await expect(textsOf([cdata.subarray(0, 15), cdata.subarray(15)])).rejects.toThrow(/longer than/);
    // runs below the cap, split anywhere, pass
    expect(await textsOf(chunked(`<sst><si><t><![CDATA[x<y]]></t></si><si><t>${'B'.repeat(MAX_TEXT_RUN - 10)}</t></si></sst>`))).toEqual([
      'x<y',
      'B'.repeat(MAX_TEXT_RUN - 10),
    ]);
  });

  it('decodes _xHHHH_ escapes of spreadsheet strings', () => {
    expect(decodeXstring('第一行_x000D_\n第二行')).toBe('第一行\r\n第二行');
    expect(decodeXstring('a_x005F_x0041_b')).toBe('a_x0041_b');
    expect(decodeXstring('_xD83C__xDFE0_')).toBe('🏠');
    expect(decodeXstring('plain_x text')).toBe('plain_x text');
  });
});

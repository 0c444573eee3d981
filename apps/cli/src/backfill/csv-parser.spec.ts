import { Readable } from 'node:stream';
import { CsvParser, csvRecords, CsvSyntaxError } from './csv-parser';

const parseAll = (text: string, chunkSize = text.length || 1): string[][] => {
  const parser = new CsvParser();
  const out: string[][] = [];
  for (let i = 0; i < text.length; i += chunkSize)
    out.push(...parser.push(text.slice(i, i + chunkSize)).map((r) => r.fields));
  out.push(...parser.end().map((r) => r.fields));
  return out;
};

describe('CsvParser (RFC 4180, streaming)', () => {
  const doc =
    '\ufeffemail,note,ts\r\n' +
    'a@example.com,"hello, world",1\r\n' +
    '"b@example.com","say ""hi""",2\r\n' +
    'c@example.com,"two\r\nlines",3\n' +
    '\r\n' +
    'd@example.com,,4\r' +
    'e@example.com,"",5';
  const expected = [
    ['email', 'note', 'ts'],
    ['a@example.com', 'hello, world', '1'],
    ['b@example.com', 'say "hi"', '2'],
    ['c@example.com', 'two\r\nlines', '3'],
    ['d@example.com', '', '4'],
    ['e@example.com', '', '5'],
  ];

  it.each([1, 2, 3, 5, 7, 1000])('gives the same records whatever the chunk size (%i)', (size) => {
    expect(parseAll(doc, size)).toEqual(expected);
  });

  it('reports the physical line each record starts on', async () => {
    const lines: number[] = [];
    for await (const r of csvRecords(Readable.from([Buffer.from(doc)]))) lines.push(r.line);
    expect(lines).toEqual([1, 2, 3, 4, 7, 8]);
  });

  it('keeps a stray quote inside an unquoted field, refuses text after a closing quote', () => {
    expect(parseAll('a,b"c\n')).toEqual([['a', 'b"c']]);
    expect(() => parseAll('"a"x,b\n')).toThrow(CsvSyntaxError);
    expect(() => parseAll('"never closed\n')).toThrow(/never closed/);
  });

  it('decodes UTF-8 split across chunks', async () => {
    const bytes = Buffer.from('name\r\nJosé Müller\r\n');
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    const rows: string[][] = [];
    for await (const r of csvRecords(Readable.from(chunks))) rows.push(r.fields);
    expect(rows).toEqual([['name'], ['José Müller']]);
  });
});

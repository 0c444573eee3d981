import { PassThrough } from 'node:stream';
import { csvField, csvLine, recordWriter } from './record-writer';

describe('CSV per RFC 4180', () => {
  it('quotes only what needs it and doubles inner quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "STOP"')).toBe('"say ""STOP"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
    expect(csvLine(['a', 'b,c', undefined])).toBe('a,"b,c",\r\n');
  });

  it('writes the header even for no rows; NDJSON writes one object per line', async () => {
    const shape = {
      header: ['x', 'y'],
      csv: (r: { x: number }) => [r.x, 'y'],
      json: (r: { x: number }) => r,
    };
    const csv = new PassThrough();
    const empty = recordWriter(csv, 'csv', shape);
    await empty.end();
    expect(csv.read()?.toString()).toBe('x,y\r\n');

    const json = new PassThrough();
    const writer = recordWriter(json, 'json', shape);
    await writer.write({ x: 1 });
    await writer.write({ x: 2 });
    await writer.end();
    expect(json.read()?.toString()).toBe('{"x":1}\n{"x":2}\n');
  });
});

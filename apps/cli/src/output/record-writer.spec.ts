import { PassThrough } from 'node:stream';
import { csvLine, recordWriter } from './record-writer';

describe('CSV per RFC 4180', () => {
  it('quotes only what needs it, doubles inner quotes and neutralises formula leads', () => {
    expect(csvLine(['a', 'b,c', undefined, 42])).toBe('a,"b,c",,42\r\n');
    // An externalId or reason from a sender must not run in the operator's spreadsheet.
    expect(csvLine(['=HYPERLINK("http://x.example")', '@SUM(A1)', '-1+1', '\t=1'])).toBe(
      `"'=HYPERLINK(""http://x.example"")","'@SUM(A1)","'-1+1","'\t=1"\r\n`,
    );
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

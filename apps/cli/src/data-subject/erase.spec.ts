import { UsageError } from '../usage-error';
import { parseEraseArgs } from './erase';
import { parseExportArgs } from './export';

describe('erase and export command lines', () => {
  it('take the externalId after --contact', () => {
    expect(parseEraseArgs(['--contact', 'c-1'])).toEqual(['c-1']);
    expect(parseExportArgs(['--contact', 'c-1'])).toBe('c-1');
  });

  it.each([
    [['--contact', '--file', 'ids.txt']],
    [['--contact', '--dry-run']],
    [['--contact']],
    [['--contact', 'c-1', '--force']],
    [['c-1']],
  ])('refuse %j: a flag is never an externalId, and nothing unknown is ignored', (argv) => {
    expect(() => parseEraseArgs(argv)).toThrow(UsageError);
    expect(() => parseExportArgs(argv)).toThrow(UsageError);
  });
});

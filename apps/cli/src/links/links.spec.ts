import { Writable } from 'node:stream';
import { parseLinksArgs, runLinks } from './links';

const env = {
  LINK_TOKEN_KEYS: `k1=${Buffer.alloc(32, 1).toString('base64')}`,
  LINK_BASE_URL: 'https://p.test',
};
const sink = () => {
  const chunks: string[] = [];
  return {
    chunks,
    stream: new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c.toString()), done()) }),
  };
};

describe('optstream links options', () => {
  it('defaults to the email channel and reads the topic and --confirm', () => {
    expect(parseLinksArgs(['--contact', 'c1'])).toEqual({
      externalId: 'c1',
      channel: 'email',
      topic: undefined,
      confirm: false,
    });
    expect(parseLinksArgs(['--contact', 'c1', '--channel', 'sms', '--topic', 't', '--confirm'])).toEqual({
      externalId: 'c1',
      channel: 'sms',
      topic: 't',
      confirm: true,
    });
  });

  it('refuses a missing contact and an unknown channel', () => {
    expect(() => parseLinksArgs([])).toThrow('--contact <externalId> is required');
    expect(() => parseLinksArgs(['--contact', 'c', '--channel', 'fax'])).toThrow(
      '--channel must be one of email, sms, push',
    );
  });

  it('refuses an active key id that names no key, and a missing base URL', () => {
    const out = sink();
    expect(() =>
      runLinks(parseLinksArgs(['--contact', 'c']), { ...env, LINK_TOKEN_ACTIVE_KEY_ID: 'gone' }, out.stream),
    ).toThrow('the active key "gone" is not one of the keys');
    expect(() =>
      runLinks(parseLinksArgs(['--contact', 'c']), { LINK_TOKEN_KEYS: env.LINK_TOKEN_KEYS }, out.stream),
    ).toThrow(/LINK_BASE_URL/);
    expect(out.chunks).toEqual([]);
  });
});

import { keyRing, verifyLinkToken } from '@optstream/shared-link-tokens';
import { runCli } from './run-cli';

// Each run starts the CLI from its TypeScript sources (tens of seconds on a busy machine).
jest.setTimeout(180_000);

const secret = Buffer.alloc(32, 5);
const env = {
  LINK_TOKEN_KEYS: `old=${Buffer.alloc(32, 4).toString('base64')},new=${secret.toString('base64')}`,
  LINK_TOKEN_ACTIVE_KEY_ID: 'new',
  LINK_AUDIENCE: 'acme',
  LINK_BASE_URL: 'https://preferences.acme.test',
};

describe('optstream links', () => {
  it('prints the signed URLs and the RFC 8058 headers for a contact, signed with the active key', async () => {
    const run = await runCli(['links', '--contact', 'cust-7', '--topic', 'newsletter', '--confirm'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const links = JSON.parse(run.stdout) as Record<string, string> & { headers: Record<string, string> };
    expect(links.headers).toEqual({
      'List-Unsubscribe': `<${links.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    const options = { ring: keyRing([{ id: 'new', secret }]), audience: 'acme', nowMs: Date.now() };
    const tokenOf = (url: string | undefined) =>
      (url ?? '').replace(/^https:\/\/preferences\.acme\.test\/[upc]\//, '');
    expect(
      verifyLinkToken(tokenOf(links.unsubscribeUrl), { ...options, purposes: ['unsubscribe'] }),
    ).toMatchObject({
      ok: true,
      claims: { externalId: 'cust-7', channel: 'email', topic: 'newsletter' },
    });
    expect(verifyLinkToken(tokenOf(links.preferencesUrl), { ...options, purposes: ['preferences'] }).ok).toBe(
      true,
    );
    expect(verifyLinkToken(tokenOf(links.confirmUrl), { ...options, purposes: ['confirm'] }).ok).toBe(true);
    expect(run.stdout).not.toContain('@');
  });

  it('names what is missing', async () => {
    const noKeys = await runCli(['links', '--contact', 'cust-7'], { LINK_BASE_URL: env.LINK_BASE_URL });
    expect(noKeys.code).not.toBe(0);
    expect(noKeys.stderr).toContain('links are not configured: set LINK_TOKEN_KEYS');
  });
});

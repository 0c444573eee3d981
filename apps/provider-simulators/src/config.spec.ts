import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTopicCatalogue } from '@optstream/consent-topics';
import { DEFAULT_SIMULATOR_CREDENTIALS } from '@optstream/provider-simulators';
import { optionsFromEnv } from './config';

describe('optionsFromEnv', () => {
  it('defaults to 127.0.0.1:8099, the default credentials and the versioned topic catalogue', () => {
    expect(optionsFromEnv({})).toEqual({
      port: 8099,
      host: '127.0.0.1',
      credentials: DEFAULT_SIMULATOR_CREDENTIALS,
      topics: loadTopicCatalogue({}).catalogue,
    });
  });

  it('sets the accounts up for the catalogue in CONSENT_TOPICS_FILE, and refuses an invalid one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-topics-'));
    const file = join(dir, 'topics.json');
    const own = {
      version: 3,
      topics: [
        {
          id: 'digest',
          name: 'Daily digest',
          channels: ['email'],
          purpose: 'marketing',
          defaultLegalBasis: 'consent',
          providers: { sendgrid: { unsubscribeGroupId: 7 } },
        },
      ],
    };
    writeFileSync(file, JSON.stringify(own));
    expect(optionsFromEnv({ CONSENT_TOPICS_FILE: file }).topics).toEqual(own);
    writeFileSync(file, JSON.stringify({ ...own, topics: [{ ...own.topics[0], channels: ['sms'] }] }));
    expect(() => optionsFromEnv({ CONSENT_TOPICS_FILE: file })).toThrow(/sendgrid has no channel/);
  });

  it('takes the port and each credential from the environment', () => {
    const options = optionsFromEnv({
      PROVIDER_SIMULATORS_PORT: '0',
      SENDGRID_API_KEY: 'SG.x',
      ATTENTIVE_CLIENT_SECRET: 's',
    });
    expect(options.port).toBe(0);
    expect(options.credentials).toEqual({
      ...DEFAULT_SIMULATOR_CREDENTIALS,
      sendgridApiKey: 'SG.x',
      attentiveClientSecret: 's',
    });
  });

  it('refuses a port that is not one', () => {
    expect(() => optionsFromEnv({ PROVIDER_SIMULATORS_PORT: 'http' })).toThrow(/PROVIDER_SIMULATORS_PORT/);
  });
});

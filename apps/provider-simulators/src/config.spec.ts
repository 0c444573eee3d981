import { DEFAULT_SIMULATOR_CREDENTIALS } from '@optstream/provider-simulators';
import { optionsFromEnv } from './config';

describe('optionsFromEnv', () => {
  it('defaults to 127.0.0.1:8099 and the default credentials', () => {
    expect(optionsFromEnv({})).toEqual({
      port: 8099,
      host: '127.0.0.1',
      credentials: DEFAULT_SIMULATOR_CREDENTIALS,
    });
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

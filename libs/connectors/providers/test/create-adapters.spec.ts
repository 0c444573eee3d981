import { createAdapters, createProvider } from '../src';

describe('createAdapters', () => {
  it('builds the configured providers only, each declaring what it needs', () => {
    const adapters = createAdapters({
      attentive: { clientId: 'id', clientSecret: 'secret' },
      mailchimp: { apiKey: 'k-us19', listId: 'L' },
      braze: { apiKey: 'k', baseUrl: 'https://rest.iad-01.braze.com' },
    });
    expect(adapters.map((a) => [a.provider, a.needs, a.maxBatch])).toEqual([
      ['mailchimp', ['email'], 50],
      ['braze', [], 75],
      ['attentive', ['phone', 'email'], 50],
    ]);
    expect(adapters.every((a) => a.circuitStatus() === 'closed')).toBe(true);
  });

  it('builds nothing without configuration', () => {
    expect(createAdapters({})).toEqual([]);
  });

  it.each([
    [() => createProvider({ provider: 'braze', apiKey: 'k', baseUrl: '' }), 'BRAZE_API_URL'],
    [() => createProvider({ provider: 'mailchimp', apiKey: 'nodc', listId: 'L' }), 'MAILCHIMP_API_URL'],
    [
      () => createProvider({ provider: 'sendgrid', apiKey: 'k', rateLimit: { maxConcurrency: 0 } }),
      'concurrency',
    ],
  ])('refuses an unusable configuration (%#)', (create, message) => {
    expect(create).toThrow(message);
  });
});

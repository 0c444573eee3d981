import { loadTopicCatalogue } from '@optstream/consent-topics';
import { bearer, call, useSimulators } from './harness';

describe('SendGrid simulator', () => {
  const sims = useSimulators();
  const auth = () => bearer(sims().credentials.sendgridApiKey);

  it('suppresses globally (201 echo), reads, and unsuppresses (204), with rate headers on every answer', async () => {
    const added = await call(sims(), 'sendgrid', 'POST', '/v3/asm/suppressions/global', {
      body: { recipient_emails: ['Jane@Example.com'] },
      headers: auth(),
    });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ recipient_emails: ['Jane@Example.com'] });
    expect(added.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
    expect(added.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    expect(added.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
    expect(sims().state.sendgrid.isGloballySuppressed('jane@example.com')).toBe(true);

    const read = await call(sims(), 'sendgrid', 'GET', '/v3/asm/suppressions/global/jane%40example.com', {
      headers: auth(),
    });
    expect(read).toMatchObject({ status: 200, body: { recipient_email: 'jane@example.com' } });

    const removed = await call(
      sims(),
      'sendgrid',
      'DELETE',
      '/v3/asm/suppressions/global/jane%40example.com',
      {
        headers: auth(),
      },
    );
    expect(removed.status).toBe(204);
    expect(sims().state.sendgrid.isGloballySuppressed('jane@example.com')).toBe(false);
    const after = await call(sims(), 'sendgrid', 'GET', '/v3/asm/suppressions/global/jane%40example.com', {
      headers: auth(),
    });
    expect(after.body).toEqual({});
  });

  it('group suppressions: add, list, per-address view, delete; an unknown group is 404 and changes nothing', async () => {
    sims().state.sendgrid.addGroup(42, 'Newsletter');
    const added = await call(sims(), 'sendgrid', 'POST', '/v3/asm/groups/42/suppressions', {
      body: { recipient_emails: ['a@example.com', 'b@example.com'] },
      headers: auth(),
    });
    expect(added).toMatchObject({
      status: 201,
      body: { recipient_emails: ['a@example.com', 'b@example.com'] },
    });
    expect(sims().state.sendgrid.groupSuppressions(42)).toEqual(['a@example.com', 'b@example.com']);
    const list = await call(sims(), 'sendgrid', 'GET', '/v3/asm/groups/42/suppressions', { headers: auth() });
    expect(list.body).toEqual(['a@example.com', 'b@example.com']);
    const all = await call(sims(), 'sendgrid', 'GET', '/v3/asm/suppressions/a%40example.com', {
      headers: auth(),
    });
    expect(all.body).toEqual({
      suppressions: [{ id: 42, name: 'Newsletter', description: '', is_default: false, suppressed: true }],
    });
    const del = await call(sims(), 'sendgrid', 'DELETE', '/v3/asm/groups/42/suppressions/a%40example.com', {
      headers: auth(),
    });
    expect(del.status).toBe(204);
    expect(sims().state.sendgrid.groupSuppressions(42)).toEqual(['b@example.com']);

    const effectsBefore = sims().effects('sendgrid');
    const unknown = await call(sims(), 'sendgrid', 'POST', '/v3/asm/groups/999/suppressions', {
      body: { recipient_emails: ['c@example.com'] },
      headers: auth(),
    });
    expect(unknown).toMatchObject({
      status: 404,
      body: { errors: [{ field: null, message: 'resource not found' }] },
    });
    for (const [method, path] of [
      ['GET', '/v3/asm/groups/999/suppressions'],
      ['DELETE', '/v3/asm/groups/999/suppressions/c%40example.com'],
    ] as const)
      expect((await call(sims(), 'sendgrid', method, path, { headers: auth() })).status).toBe(404);
    expect(sims().state.sendgrid.isGloballySuppressed('c@example.com')).toBe(false);
    expect(sims().effects('sendgrid')).toBe(effectsBefore);
  });

  it('refuses a missing or wrong key with 401 and SendGrid’s body', async () => {
    for (const headers of [{}, bearer('wrong')]) {
      const response = await call(sims(), 'sendgrid', 'POST', '/v3/asm/suppressions/global', {
        body: { recipient_emails: ['a@example.com'] },
        headers,
      });
      expect(response).toMatchObject({
        status: 401,
        body: { errors: [{ message: 'authorization required' }] },
      });
    }
    expect(sims().state.sendgrid.isGloballySuppressed('a@example.com')).toBe(false);
  });

  it.each([
    ['not JSON', '{"recipient_emails":'],
    ['wrong field', '{"emails":["a@example.com"]}'],
    ['not an email', '{"recipient_emails":["nope"]}'],
  ])('answers 400 in SendGrid’s error shape for a malformed body (%s)', async (_, raw) => {
    const response = await call(sims(), 'sendgrid', 'POST', '/v3/asm/suppressions/global', {
      raw,
      headers: auth(),
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ errors: [{ field: null, message: expect.any(String) }] });
  });

  it('records every call with lower-case headers and the parsed body', async () => {
    await call(sims(), 'sendgrid', 'POST', '/v3/asm/suppressions/global?x=1', {
      body: { recipient_emails: ['a@example.com'] },
      headers: { ...auth(), 'X-Custom': 'v' },
    });
    const [recorded] = sims().calls('sendgrid');
    expect(recorded).toMatchObject({
      provider: 'sendgrid',
      method: 'POST',
      path: '/v3/asm/suppressions/global',
      query: { x: '1' },
      body: { recipient_emails: ['a@example.com'] },
      status: 201,
    });
    expect(recorded?.headers['x-custom']).toBe('v');
    expect(recorded?.headers['authorization']).toBe(`Bearer ${sims().credentials.sendgridApiKey}`);
    expect(sims().calls('braze')).toHaveLength(0);
  });

  it('answers an unknown path with a provider-shaped 404', async () => {
    const response = await call(sims(), 'sendgrid', 'GET', '/v3/nope', { headers: auth() });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      errors: [{ field: null, message: expect.stringContaining('/v3/nope') }],
    });
  });
});

describe('SendGrid simulator: a global suppression overrides every group (docs/providers.md, SG-GRP)', () => {
  const sims = useSimulators();
  const auth = () => bearer(sims().credentials.sendgridApiKey);

  it('leaving a group while globally suppressed still delivers nothing; group mail flows once the global entry is gone', async () => {
    const sg = sims().state.sendgrid;
    sg.addGroup(42, 'Newsletter');
    sg.addGroup(43, 'Product updates');
    await call(sims(), 'sendgrid', 'POST', '/v3/asm/suppressions/global', {
      body: { recipient_emails: ['jane@example.com'] },
      headers: auth(),
    });
    await call(sims(), 'sendgrid', 'POST', '/v3/asm/groups/42/suppressions', {
      body: { recipient_emails: ['jane@example.com'] },
      headers: auth(),
    });
    const left = await call(
      sims(),
      'sendgrid',
      'DELETE',
      '/v3/asm/groups/42/suppressions/jane%40example.com',
      {
        headers: auth(),
      },
    );
    expect(left.status).toBe(204);
    expect(sg.isSuppressedInGroup(42, 'jane@example.com')).toBe(false);
    expect(sg.wouldDeliver('jane@example.com', 42)).toBe(false);
    expect(sg.wouldDeliver('jane@example.com')).toBe(false);

    sg.unsuppressGlobally('jane@example.com');
    await call(sims(), 'sendgrid', 'POST', '/v3/asm/groups/43/suppressions', {
      body: { recipient_emails: ['jane@example.com'] },
      headers: auth(),
    });
    expect(sg.wouldDeliver('jane@example.com', 42)).toBe(true);
    expect(sg.wouldDeliver('jane@example.com', 43)).toBe(false);
  });
});

describe('SendGrid simulator set up for the topic catalogue (docs/provider-simulators.md)', () => {
  const sims = useSimulators({ topics: loadTopicCatalogue({}).catalogue });
  const auth = () => bearer(sims().credentials.sendgridApiKey);

  it('has every topic’s unsubscribe group from the start and after a reset, without counting effects', async () => {
    const expected = [
      { id: 42, name: 'Weekly newsletter', description: 'optstream topic newsletter', is_default: false },
      { id: 43, name: 'Product updates', description: 'optstream topic product-updates', is_default: false },
      { id: 44, name: 'Offers and promotions', description: 'optstream topic promotions', is_default: false },
    ];
    const groups = await call(sims(), 'sendgrid', 'GET', '/v3/asm/groups', { headers: auth() });
    expect(groups.body).toEqual(expected);
    expect(sims().effects('sendgrid')).toBe(0);
    const added = await call(sims(), 'sendgrid', 'POST', '/v3/asm/groups/43/suppressions', {
      body: { recipient_emails: ['jane@example.com'] },
      headers: auth(),
    });
    expect(added.status).toBe(201);
    expect(sims().state.sendgrid.wouldDeliver('jane@example.com', 43)).toBe(false);

    sims().reset();
    expect(sims().state.sendgrid.groupSuppressions(43)).toEqual([]);
    expect((await call(sims(), 'sendgrid', 'GET', '/v3/asm/groups', { headers: auth() })).body).toEqual(
      expected,
    );
  });
});

describe('SendGrid simulator: v3 Mail Send (SG-MAIL)', () => {
  const sims = useSimulators();
  const auth = () => bearer(sims().credentials.sendgridApiKey);
  const message = (overrides: Record<string, unknown> = {}) => ({
    personalizations: [{ to: [{ email: 'Jane@Example.com' }] }],
    from: { email: 'preferences@brand.test', name: 'Brand' },
    subject: 'Confirm your subscription',
    content: [
      { type: 'text/plain', value: 'Confirm: https://p.test/c/x' },
      { type: 'text/html', value: '<a href="https://p.test/c/x">Confirm</a>' },
    ],
    ...overrides,
  });

  it('answers 202 with an empty body and an X-Message-Id, and records the delivered copy per recipient', async () => {
    const sent = await call(sims(), 'sendgrid', 'POST', '/v3/mail/send', {
      body: message(),
      headers: auth(),
    });
    expect(sent.status).toBe(202);
    expect(sent.text).toBe('');
    const id = sent.headers.get('x-message-id');
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(sims().state.sendgrid.mailsTo('jane@example.com')).toEqual([
      expect.objectContaining({
        messageId: id,
        from: 'preferences@brand.test',
        to: 'jane@example.com',
        subject: 'Confirm your subscription',
        text: 'Confirm: https://p.test/c/x',
        delivered: true,
      }),
    ]);
  });

  it.each([
    ['no personalization', { personalizations: [] }, 'at least one personalization'],
    ['a personalization without to', { personalizations: [{}] }, 'personalizations.0.to'],
    [
      'an invalid recipient',
      { personalizations: [{ to: [{ email: 'nope' }] }] },
      'personalizations.0.to.0.email',
    ],
    [
      'the same address twice',
      { personalizations: [{ to: [{ email: 'a@x.test' }], cc: [{ email: 'A@x.test' }] }] },
      'should be unique between to, cc, and bcc',
    ],
    ['no from', { from: undefined }, 'from'],
    ['no subject anywhere', { subject: undefined }, 'subject'],
    ['no content and no template', { content: undefined }, 'content parameter is required'],
    ['empty content', { content: [{ type: 'text/plain', value: '' }] }, 'at least one character'],
    [
      'html before text',
      {
        content: [
          { type: 'text/html', value: '<p>x</p>' },
          { type: 'text/plain', value: 'x' },
        ],
      },
      'text/plain must be first',
    ],
    ['a reserved header', { headers: { Subject: 'x' } }, 'reserved'],
  ])(
    'refuses %s with a 400 in SendGrid’s error shape and records nothing',
    async (_what, overrides, detail) => {
      const refused = await call(sims(), 'sendgrid', 'POST', '/v3/mail/send', {
        body: message(overrides),
        headers: auth(),
      });
      expect(refused.status).toBe(400);
      expect((refused.body as { errors: { message: string }[] }).errors[0]?.message).toContain(detail);
      expect(sims().state.sendgrid.mailsTo('jane@example.com')).toEqual([]);
    },
  );

  it('refuses a request without the API key (401) and a body that is not JSON (400)', async () => {
    expect((await call(sims(), 'sendgrid', 'POST', '/v3/mail/send', { body: message() })).status).toBe(401);
    const raw = await call(sims(), 'sendgrid', 'POST', '/v3/mail/send', { raw: '{', headers: auth() });
    expect(raw.status).toBe(400);
  });

  it('drops mail to a globally unsubscribed address unless the send bypasses unsubscribe management', async () => {
    sims().state.sendgrid.suppressGlobally(['jane@example.com']);
    await call(sims(), 'sendgrid', 'POST', '/v3/mail/send', { body: message(), headers: auth() });
    await call(sims(), 'sendgrid', 'POST', '/v3/mail/send', {
      body: message({ mail_settings: { bypass_unsubscribe_management: { enable: true } } }),
      headers: auth(),
    });
    expect(
      sims()
        .state.sendgrid.mailsTo('jane@example.com')
        .map((m) => m.delivered),
    ).toEqual([false, true]);
  });
});

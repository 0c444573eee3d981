import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTopicCatalogue, TopicCatalogueError } from './load-catalogue';
import { parseTopicCatalogue, type ConsentTopic } from './topic-catalogue';

const newsletter: ConsentTopic = {
  id: 'newsletter',
  name: 'Newsletter',
  channels: ['email'],
  purpose: 'marketing',
  defaultLegalBasis: 'consent',
  providers: { sendgrid: { unsubscribeGroupId: 42 } },
};

const problemsOf = (document: unknown): readonly string[] => {
  const result = parseTopicCatalogue(document);
  return result.ok ? [] : result.problems;
};

describe('topic catalogue', () => {
  it('the versioned catalogue is valid and maps SendGrid group 42 to the newsletter', () => {
    const index = loadTopicCatalogue({});
    expect(index.sendgridGroup(42)?.id).toBe('newsletter');
    expect(index.covers('newsletter', 'email')).toBe(true);
    expect(index.covers('newsletter', 'sms')).toBe(false);
    expect(index.mailchimp('product-updates')?.id).toBe('product-updates');
  });

  it('names every problem with its path', () => {
    expect(
      problemsOf({ version: 1, topics: [{ ...newsletter, id: 'News Letter', channels: [], extra: 1 }] }),
    ).toEqual([
      'topics.0.id: lower-case letters, digits and -, starting with a letter',
      'topics.0.channels: Array must contain at least 1 element(s)',
      "topics.0: Unrecognized key(s) in object: 'extra'",
    ]);
  });

  it('refuses a duplicate id and a SendGrid group claimed by two topics', () => {
    const other = { ...newsletter, id: 'other' };
    expect(problemsOf({ version: 1, topics: [newsletter, newsletter, other] })).toEqual([
      'newsletter: the id is also used by topic newsletter',
      'newsletter: sendgrid {"unsubscribeGroupId":42} is also used by topic newsletter',
      'other: sendgrid {"unsubscribeGroupId":42} is also used by topic newsletter',
    ]);
  });

  it('names the Mailchimp interests webhooks spell by name, and refuses an interest id or name claimed twice', () => {
    expect(loadTopicCatalogue({}).mailchimpInterestNames()).toEqual([
      { topic: 'newsletter', name: 'Weekly newsletter' },
      { topic: 'promotions', name: 'Offers and promotions' },
    ]);
    const a = {
      ...newsletter,
      id: 'a',
      providers: { mailchimp: { interestId: 'a1b2c3d4e5', interestName: 'News' } },
    };
    const b = {
      ...newsletter,
      id: 'b',
      providers: { mailchimp: { interestId: 'a1b2c3d4e5', interestName: 'Other' } },
    };
    const c = {
      ...newsletter,
      id: 'c',
      providers: { mailchimp: { interestId: 'f6e5d4c3b2', interestName: 'News' } },
    };
    expect(problemsOf({ version: 1, topics: [a, b, c] })).toEqual([
      'b: mailchimp interest a1b2c3d4e5 is also used by topic a',
      'c: mailchimp interest "News" is also used by topic a',
    ]);
  });

  it('refuses a platform representation for a channel the topic does not have', () => {
    const sms = { ...newsletter, channels: ['sms'], providers: { sendgrid: { unsubscribeGroupId: 7 } } };
    expect(problemsOf({ version: 1, topics: [sms] })).toEqual([
      'newsletter: sendgrid has no channel in [sms]',
    ]);
  });

  it('loads CONSENT_TOPICS_FILE and fails at start-up on a bad one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'topics-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ version: 2, topics: [newsletter] }));
    expect(loadTopicCatalogue({ CONSENT_TOPICS_FILE: good }).catalogue.version).toBe(2);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"version": 1, "topics": [');
    expect(() => loadTopicCatalogue({ CONSENT_TOPICS_FILE: bad })).toThrow(TopicCatalogueError);
    expect(() => loadTopicCatalogue({ CONSENT_TOPICS_FILE: join(dir, 'missing.json') })).toThrow(
      /missing\.json is invalid/,
    );
  });
});

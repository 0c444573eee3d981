import { parseFormBody } from './form';
import { redactDeadLetterBody, redactDeadLetterItem, type AddressToken } from './dead-letter-body';

const token: AddressToken = (kind, value) => `h(${kind}:${value.length})`;

describe('dead-lettered bodies keep no personal values', () => {
  it('a Twilio form: From, To, Body and geography go, the message id and status stay, still a form', () => {
    const raw = Buffer.from(
      'MessageSid=SM123&From=%2B14155550123&To=%2B18005550100&Body=STOP+and+email+jane%40example.com' +
        '&FromCity=SAN+FRANCISCO&FromZip=94105&SmsStatus=received',
    );
    const { body, redacted } = redactDeadLetterBody(raw, token);
    const text = body.toString();
    for (const gone of ['4155550123', 'jane', 'example.com', 'SAN', '94105', 'STOP']) {
      expect(text).not.toContain(gone);
    }
    expect(parseFormBody(text)).toEqual({
      MessageSid: 'SM123',
      From: '[phone:h(phone:12)]',
      To: '[phone:h(phone:12)]',
      Body: '[redacted]',
      FromCity: '[redacted]',
      FromZip: '[redacted]',
      SmsStatus: 'received',
    });
    expect(redacted).toContain('keyed hashes');
  });

  it('a Mailchimp form: the merge fields and the address go, the event type stays', () => {
    const raw = Buffer.from(
      'type=unsubscribe&data%5Bemail%5D=Jane%40Example.com&data%5Bmerges%5D%5BFNAME%5D=Jane&data%5Bmerges%5D%5BLNAME%5D=Doe&data%5Bip_opt%5D=10.1.2.3',
    );
    const fields = parseFormBody(redactDeadLetterBody(raw, token).body.toString());
    expect(fields).toEqual({
      type: 'unsubscribe',
      'data[email]': '[email:h(email:16)]',
      'data[merges][FNAME]': '[redacted]',
      'data[merges][LNAME]': '[redacted]',
      'data[ip_opt]': '[redacted]',
    });
  });

  it('a JSON item: an invalid email in an email field goes too; addresses anywhere become tokens', () => {
    const item = {
      email: 'not-an-email',
      event: 'unsubscribe',
      sg_event_id: 'bad-1',
      note: 'call +1 415 555 0123',
      traits: { first_name: 'Jane', email: 'jane@example.com', plan: 'pro' },
      context: { ip: '10.1.2.3', userAgent: 'Mozilla/5.0' },
    };
    const out = JSON.parse(redactDeadLetterItem(item, token).body.toString());
    expect(out).toEqual({
      email: '[redacted]',
      event: 'unsubscribe',
      sg_event_id: 'bad-1',
      note: expect.stringMatching(/^call \[phone:h\(phone:\d+\)\]$/),
      traits: { first_name: '[redacted]', email: '[email:h(email:16)]', plan: 'pro' },
      context: { ip: '[redacted]', userAgent: '[redacted]' },
    });
  });

  it('plain text keeps its words but not its addresses', () => {
    const { body } = redactDeadLetterBody(Buffer.from('bad input from jane@example.com'), token);
    expect(body.toString()).toBe('bad input from [email:h(email:16)]');
  });
});

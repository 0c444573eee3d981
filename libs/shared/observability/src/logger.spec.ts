import { Writable } from 'node:stream';
import { createLogger } from './logger';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('masks emails and phone numbers in messages and fields', () => {
    const { lines, stream } = capture();
    const log = createLogger('test', 'info', stream);
    log.info(
      { email: 'jane.doe@example.com', note: 'from +14155550123' },
      'opt-out for jane.doe@example.com',
    );
    const line = lines.join('');
    expect(line).not.toContain('jane.doe@example.com');
    expect(line).not.toContain('4155550123');
    expect(JSON.parse(line)).toMatchObject({ level: 'info', service: 'test' });
  });
});

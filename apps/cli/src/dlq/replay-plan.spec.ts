import type { DeadLetter } from '@optstream/contracts';
import { FIXTURES } from '@optstream/testing';
import type { LetterAt } from './letter-filter';
import { openedPlan, planReplay } from './replay-plan';

const at = (letter: Partial<DeadLetter>): LetterAt => ({
  topic: 'identity.dead-letter.v1',
  position: { partition: 0, offset: '7' },
  timestamp: 0,
  letter: {
    ...FIXTURES['dead-letter.v1'],
    originalTopic: 'contact.inbound.v1',
    originalHeaders: [],
    ...letter,
  },
});

describe('replay of protected dead letters', () => {
  it('a letter kept without its value is skipped as REDACTED', () => {
    expect(planReplay(at({ originalValue: null, redacted: 'erased contact' }), undefined)).toEqual({
      kind: 'skip',
      reason: 'REDACTED',
    });
  });

  it('a sealed letter is opened before it is sent; without keys it is skipped as SEALED', async () => {
    const sealed = at({ originalValue: Buffer.from('ciphertext'), sealedWithKeyId: 'dk-1' });
    const plan = planReplay(sealed, undefined);
    expect(await openedPlan(plan, sealed.letter, null)).toEqual({ kind: 'skip', reason: 'SEALED' });
    const opened = await openedPlan(plan, sealed.letter, async () => Buffer.from('plaintext'));
    expect(opened).toMatchObject({ kind: 'replay', topic: 'contact.inbound.v1' });
    expect(opened.kind === 'replay' && opened.message.value?.toString()).toBe('plaintext');
  });

  it('a sealed letter whose key an erasure destroyed is skipped as KEY_DESTROYED', async () => {
    const sealed = at({ originalValue: Buffer.from('ciphertext'), sealedWithKeyId: 'dk-1' });
    expect(await openedPlan(planReplay(sealed, undefined), sealed.letter, async () => null)).toEqual({
      kind: 'skip',
      reason: 'KEY_DESTROYED',
    });
  });

  it('a letter as received is replayed unchanged, without asking for keys', async () => {
    const plain = at({ originalValue: Buffer.from('bytes') });
    const opened = await openedPlan(planReplay(plain, undefined), plain.letter, async () => {
      throw new Error('must not open');
    });
    expect(opened.kind === 'replay' && opened.message.value?.toString()).toBe('bytes');
  });
});

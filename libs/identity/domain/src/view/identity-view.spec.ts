import { contact } from '../testing/builders';
import { identityView, ownerOf, survivorOf } from './identity-view';

describe('identity view', () => {
  it('refuses an identifier owned by two contacts (the unique constraint is the invariant)', () => {
    expect(() =>
      identityView([
        contact('ext-a', { emails: ['x@example.com'] }),
        contact('ext-b', { emails: ['x@example.com'] }),
      ]),
    ).toThrow(/owned by both ext-a and ext-b/);
  });

  it('follows merge pointers to the survivor', () => {
    const view = identityView([
      contact('p1', { provisional: true, mergedInto: 'p2' }),
      contact('p2', { provisional: true, mergedInto: 'ext-a' }),
      contact('ext-a'),
    ]);
    expect(survivorOf(view, 'p1')?.externalId).toBe('ext-a');
    expect(survivorOf(view, 'unknown')).toBeNull();
  });

  it('a pointer to a contact no longer in the view (erased) resolves to nobody', () => {
    const view = identityView([
      contact('p1', { provisional: true, mergedInto: 'gone', emails: ['x@example.com'] }),
    ]);
    expect(survivorOf(view, 'p1')).toBeNull();
    expect(
      ownerOf(view, view.contacts.get('p1')?.identifiers[0] ?? { kind: 'email', keyedHash: '' }),
    ).toBeNull();
  });

  it('a cyclic (corrupt) merge chain ends instead of looping', () => {
    const view = identityView([contact('p1', { mergedInto: 'p2' }), contact('p2', { mergedInto: 'p1' })]);
    expect(survivorOf(view, 'p1')).toBeNull();
  });

  it('sorts identifiers so equal graphs are equal values', () => {
    const a = identityView([contact('ext-a', { emails: ['x@example.com'], phones: ['+14155550101'] })]);
    const node = a.contacts.get('ext-a');
    const b = identityView(
      node === undefined ? [] : [{ ...node, identifiers: [...node.identifiers].reverse() }],
    );
    expect(b).toEqual(a);
  });
});

import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('returns the first truthy value of the condition', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? `after ${calls}` : undefined), { intervalMs: 1 });
    expect(value).toBe('after 3');
  });

  it('fails with the description and the last error when the deadline passes', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('still broken');
        },
        { timeoutMs: 30, intervalMs: 5, description: 'the thing' },
      ),
    ).rejects.toThrow(/waiting for the thing: last error still broken/);
  });
});

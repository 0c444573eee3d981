/**
 * Like Promise.all, but resolves or rejects only once EVERY piece of work has finished. A failed batch is
 * re-delivered (its offsets are not committed); with Promise.all the failure would return while sibling
 * provider calls were still in flight, and the retry could overtake them with an older state.
 */
export async function settleAll(work: readonly Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find(
    (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
  );
  if (failed) throw failed.reason;
}

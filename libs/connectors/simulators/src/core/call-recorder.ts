import type { ProviderName, RecordedCall } from '../types';

type MutableCall = { -readonly [K in keyof RecordedCall]: RecordedCall[K] };

/** Every request in arrival order; the status is filled in when the answer is sent. */
export class CallRecorder {
  private entries: MutableCall[] = [];

  start(call: Omit<RecordedCall, 'status'>): MutableCall {
    const entry: MutableCall = { ...call, status: 0 };
    this.entries.push(entry);
    return entry;
  }

  list(provider?: ProviderName): readonly RecordedCall[] {
    // Copies, so a caller holding the list does not see later status updates change under it.
    const selected = provider ? this.entries.filter((c) => c.provider === provider) : this.entries;
    return selected.map((c) => ({ ...c }));
  }

  clear(): void {
    this.entries = [];
  }
}

/** Segment's HTTP API auth: the write key as the Basic user with an empty password; the colon is required. */
export function segmentBasicAuth(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`, 'utf8').toString('base64')}`;
}

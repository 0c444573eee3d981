/**
 * `+14155554567` → `+1******4567`. How much to show depends on length so that at least half the digits
 * stay hidden: ≥ 10 digits keep the first digit and last four (enough to tell numbers apart in a log),
 * 6–9 keep the last two, shorter ones keep nothing. Formatting characters are dropped so the digit count
 * is all that remains of them.
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const plus = phone.trimStart().startsWith('+') ? '+' : '';
  const [head, tail] = digits.length >= 10 ? [1, 4] : digits.length >= 6 ? [0, 2] : [0, 0];
  const hidden = digits.length - head - tail;
  return `${plus}${digits.slice(0, head)}${'*'.repeat(Math.max(hidden, 1))}${digits.slice(digits.length - tail)}`;
}

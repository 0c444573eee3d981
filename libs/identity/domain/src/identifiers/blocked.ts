/*
 * Identity's refusal of placeholder values. The gateway already drops them, but the resolver is the last
 * line before a value becomes a match key in an append-only graph: linking "null" or the nil UUID once
 * would merge every later visitor who sends it into one person. So it checks again, on the raw value it is
 * about to link, with the same list (one rule, written once, in @optstream/shared-identifiers).
 */
export { isBlockedIdentifierValue } from '@optstream/shared-identifiers';

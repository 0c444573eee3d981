import { assertNever } from './assert-never';
import type { Evolution } from './contact-state';

/** Only an effective change is published to the state topic; a no-op publishes nothing (docs/preference-projector.md). */
export const publishes = (evolution: Evolution): boolean => {
  switch (evolution.effect) {
    case 'changed':
      return true;
    case 'same_status':
    case 'older':
    case 'duplicate':
    case 'rejected':
      return false;
    default:
      return assertNever(evolution);
  }
};

/**
 * Whether the event belongs in the contact's change history. Everything that was valid goes in (a late
 * older event is exactly what an audit needs to see); a duplicate is already there; a rejected event
 * goes to the dead-letter topic instead.
 */
export const entersHistory = (evolution: Evolution): boolean => {
  switch (evolution.effect) {
    case 'changed':
    case 'same_status':
    case 'older':
      return true;
    case 'duplicate':
    case 'rejected':
      return false;
    default:
      return assertNever(evolution);
  }
};

import { assertNever } from './assert-never';
import type { Evolution } from './contact-state';

/** Only an effective change is published to the state topic; a no-op publishes nothing (issue 5). */
export const publishes = (evolution: Evolution): boolean => {
  switch (evolution.effect) {
    case 'changed':
      return true;
    case 'same_status':
    case 'older':
    case 'refused':
    case 'duplicate':
    case 'rejected':
      return false;
    default:
      return assertNever(evolution);
  }
};

/**
 * Whether the event belongs in the contact's change history. Everything that was valid goes in (a late
 * older event is exactly what an audit needs to see, and so is an opt-in refused for source trust); a duplicate is already there; a rejected event
 * goes to the dead-letter topic instead.
 */
export const entersHistory = (evolution: Evolution): boolean => {
  switch (evolution.effect) {
    case 'changed':
    case 'same_status':
    case 'older':
    case 'refused':
      return true;
    case 'duplicate':
    case 'rejected':
      return false;
    default:
      return assertNever(evolution);
  }
};

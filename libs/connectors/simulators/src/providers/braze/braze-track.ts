import type { z } from 'zod';
import {
  badRequest,
  type RouteContext,
  type SimResponse,
  type SimRoute,
} from '../../core/provider-definition';
import { parseJson } from '../../core/validation';
import { attributeFields, eventFields, purchaseFields, trackBody, userKey } from './braze-schemas';
import type { BrazeState, BrazeUserKey, MutableBrazeUser } from './braze-state';

/** Current doc: 75 objects per request across attributes, events and purchases (BZ-LIM). */
export const BRAZE_TRACK_MAX_OBJECTS = 75;

type InputArray = 'attributes' | 'events' | 'purchases';
interface ObjectError {
  readonly type: string;
  readonly input_array: InputArray;
  readonly index: number;
}

/** Fields that identify or steer an object rather than being stored on the profile. */
const CONTROL_FIELDS = new Set(['external_id', 'user_alias', 'braze_id', '_update_existing_only']);

export function brazeTrackRoute(state: BrazeState): SimRoute {
  return {
    method: 'POST',
    url: '/users/track',
    handle: (request, ctx) => {
      const body = parseJson(trackBody, request);
      const arrays = {
        attributes: body.attributes ?? [],
        events: body.events ?? [],
        purchases: body.purchases ?? [],
      };
      const total = arrays.attributes.length + arrays.events.length + arrays.purchases.length;
      if (total === 0) {
        throw badRequest("Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.");
      }
      if (total > BRAZE_TRACK_MAX_OBJECTS) {
        throw badRequest(
          `Too many objects: ${total}; at most ${BRAZE_TRACK_MAX_OBJECTS} per request in total.`,
        );
      }
      return track(state, arrays, ctx, total);
    },
  };
}

function track(
  state: BrazeState,
  arrays: Record<InputArray, Record<string, unknown>[]>,
  ctx: RouteContext,
  total: number,
): SimResponse {
  const errors: ObjectError[] = [];
  const rejectStatuses: number[] = [];
  const processed = { attributes: 0, events: 0, purchases: 0 };
  for (const inputArray of ['attributes', 'events', 'purchases'] as const) {
    arrays[inputArray].forEach((object, index) => {
      const outcome = applyObject(state, inputArray, object, ctx);
      if (outcome === 'ok') processed[inputArray] += 1;
      else {
        errors.push({ type: outcome.error, input_array: inputArray, index });
        if (outcome.rejectStatus !== undefined) rejectStatuses.push(outcome.rejectStatus);
      }
    });
  }
  // A request whose every object is a poison contact gets the fault's status, like a refused single call.
  if (rejectStatuses.length === total)
    return { status: rejectStatuses[0] ?? 400, body: { message: 'rejected', errors } };
  if (errors.length === total)
    return { status: 400, body: { message: 'No valid objects in the request', errors } };
  return { status: 201, body: successBody(arrays, processed, errors) };
}

function successBody(
  arrays: Record<InputArray, unknown[]>,
  processed: Record<InputArray, number>,
  errors: ObjectError[],
): Record<string, unknown> {
  return {
    message: 'success',
    ...(arrays.attributes.length > 0 ? { attributes_processed: processed.attributes } : {}),
    ...(arrays.events.length > 0 ? { events_processed: processed.events } : {}),
    ...(arrays.purchases.length > 0 ? { purchases_processed: processed.purchases } : {}),
    ...(errors.length > 0 ? { errors } : {}),
  };
}

type Outcome = 'ok' | { error: string; rejectStatus?: number };

function applyObject(
  state: BrazeState,
  inputArray: InputArray,
  object: Record<string, unknown>,
  ctx: RouteContext,
): Outcome {
  const key = userKey.safeParse(object);
  if (!key.success) return { error: "'external_id', 'braze_id' or 'user_alias' is required" };
  const rejectStatus = ctx.rejectStatus(contactsOf(key.data, object));
  if (rejectStatus !== undefined) return { error: 'rejected (simulated poison contact)', rejectStatus };
  if (inputArray === 'attributes') return applyAttributes(state, key.data, object);
  if (inputArray === 'events') return applyEvent(state, key.data, object);
  return purchaseFields.safeParse(object).success ? 'ok' : { error: 'invalid purchase object' };
}

function applyAttributes(state: BrazeState, key: BrazeUserKey, object: Record<string, unknown>): Outcome {
  const parsed = attributeFields.safeParse(object);
  if (!parsed.success) return { error: describe(parsed.error) };
  const groups = parsed.data.subscription_groups ?? [];
  const change = (user: MutableBrazeUser) => {
    for (const g of groups) user.subscription_groups[g.subscription_group_id] = g.subscription_state;
    setAttributes(user, object);
  };
  state.update(key, change, parsed.data._update_existing_only === true);
  return 'ok';
}

function setAttributes(user: MutableBrazeUser, object: Record<string, unknown>): void {
  for (const [field, value] of Object.entries(object)) {
    if (CONTROL_FIELDS.has(field) || field === 'subscription_groups') continue;
    if (field === 'email' || field === 'phone' || field === 'email_subscribe' || field === 'push_subscribe') {
      // `null` removes a field (BZ-ATTR).
      if (value === null) delete user[field];
      else (user as Record<string, unknown>)[field] = value;
    } else if (value === null) {
      delete user.custom_attributes[field];
    } else {
      user.custom_attributes[field] = value;
    }
  }
}

function applyEvent(state: BrazeState, key: BrazeUserKey, object: Record<string, unknown>): Outcome {
  const parsed = eventFields.safeParse(object);
  if (!parsed.success) return { error: describe(parsed.error) };
  const { name, time, properties } = parsed.data;
  state.update(key, (user) => user.events.push({ name, time, ...(properties ? { properties } : {}) }));
  return 'ok';
}

function contactsOf(key: BrazeUserKey, object: Record<string, unknown>) {
  const text = (v: unknown) => (typeof v === 'string' ? [v] : []);
  return {
    externalIds: 'external_id' in key ? [key.external_id] : [],
    emails: text(object['email']),
    phones: text(object['phone']),
  };
}

const describe = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

import { z } from 'zod';

export const globalSubscription = z.enum(['opted_in', 'subscribed', 'unsubscribed']);
export const groupState = z.enum(['subscribed', 'unsubscribed']);

const userAlias = z.object({ alias_name: z.string().min(1), alias_label: z.string().min(1) });

/** The identifier part of an attributes/events/purchases object; exactly how Braze names a user. */
export const userKey = z.union([
  z.object({ external_id: z.string().min(1) }).transform((v) => ({ external_id: v.external_id })),
  z.object({ user_alias: userAlias }).transform((v) => ({ user_alias: v.user_alias })),
  z.object({ braze_id: z.string().min(1) }).transform((v) => ({ braze_id: v.braze_id })),
]);

export const subscriptionGroups = z.array(
  z.object({ subscription_group_id: z.string().min(1), subscription_state: groupState }),
);

/** Known attribute fields are validated; anything else is a custom attribute (any JSON, null removes). */
export const attributeFields = z
  .object({
    email: z.string().email().nullable().optional(),
    phone: z.string().min(1).nullable().optional(),
    email_subscribe: globalSubscription.optional(),
    push_subscribe: globalSubscription.optional(),
    subscription_groups: subscriptionGroups.optional(),
    _update_existing_only: z.boolean().optional(),
  })
  .passthrough();

export const eventFields = z
  .object({ name: z.string().min(1), time: z.string().min(1), properties: z.record(z.unknown()).optional() })
  .passthrough();

export const purchaseFields = z
  .object({
    product_id: z.string().min(1),
    currency: z.string().length(3),
    price: z.number(),
    time: z.string(),
  })
  .passthrough();

export const trackBody = z.object({
  attributes: z.array(z.record(z.unknown())).optional(),
  events: z.array(z.record(z.unknown())).optional(),
  purchases: z.array(z.record(z.unknown())).optional(),
});

const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).max(50)]);

export const statusSetBody = z.object({
  subscription_group_id: z.string().min(1),
  subscription_state: groupState,
  external_id: oneOrMany.optional(),
  email: oneOrMany.optional(),
  phone: oneOrMany.optional(),
  use_double_opt_in_logic: z.boolean().optional(),
});

export const statusSetV2Body = z.object({
  subscription_groups: z
    .array(
      z.object({
        subscription_group_id: z.string().min(1),
        subscription_state: groupState,
        external_ids: z.array(z.string().min(1)).max(50).optional(),
        emails: z.array(z.string().min(1)).max(50).optional(),
        phones: z.array(z.string().min(1)).max(50).optional(),
      }),
    )
    .min(1),
});

export const deleteBody = z.object({
  external_ids: z.array(z.string().min(1)).max(50).optional(),
  braze_ids: z.array(z.string().min(1)).max(50).optional(),
  user_aliases: z.array(userAlias).max(50).optional(),
});

export const exportBody = z.object({
  external_ids: z.array(z.string().min(1)).max(50).optional(),
  braze_id: z.string().optional(),
  email_address: z.string().optional(),
  phone: z.string().optional(),
  fields_to_export: z.array(z.string()).optional(),
});

export const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

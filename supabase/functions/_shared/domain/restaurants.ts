// Generated from packages/domain by `pnpm gen:functions-domain`; do not edit.
// Edit the original in packages/domain/src and regenerate.
import { z } from 'npm:zod@^4.1.0';
import { TEXT_LIMITS } from './text-limits.ts';

// Restaurants are the CRM's leads. The enums mirror the check constraints in the
// restaurants migration (docs/schema-contract.md); change them together.

export const leadStages = [
  'new',
  'contacted',
  'qualified',
  'demo_booked',
  'demo_done',
  'proposal',
  'negotiation',
  'won',
  'lost',
] as const;
export type LeadStage = (typeof leadStages)[number];
export const leadStageSchema = z.enum(leadStages);
export const leadStageLabels: Record<LeadStage, string> = {
  new: 'New',
  contacted: 'Contacted',
  qualified: 'Qualified',
  demo_booked: 'Demo booked',
  demo_done: 'Demo done',
  proposal: 'Proposal',
  negotiation: 'Negotiation',
  won: 'Won',
  lost: 'Lost',
};

export const leadWarmths = ['cold', 'warm', 'hot'] as const;
export type LeadWarmth = (typeof leadWarmths)[number];
export const leadWarmthSchema = z.enum(leadWarmths);
export const leadWarmthLabels: Record<LeadWarmth, string> = {
  cold: 'Cold',
  warm: 'Warm',
  hot: 'Hot',
};

export const leadStatuses = ['active', 'paused', 'do_not_contact'] as const;
export type LeadStatus = (typeof leadStatuses)[number];
export const leadStatusSchema = z.enum(leadStatuses);
export const leadStatusLabels: Record<LeadStatus, string> = {
  active: 'Active',
  paused: 'Paused',
  do_not_contact: 'Do not contact',
};

export const RESTAURANT_NAME_MAX = 200;
export const RESTAURANT_TEXT_MAX = TEXT_LIMITS.short;
export const RESTAURANT_NOTES_MAX = TEXT_LIMITS.body;

// Optional free text: forms send '' for an empty field, the database wants null.
const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .nullish()
    .transform((value) => (value ? value : null));

const emailFormat = z.email();

const optionalEmail = optionalText(TEXT_LIMITS.email, 'Email').refine(
  (value) => value === null || emailFormat.safeParse(value).success,
  'Enter a valid email address',
);

// Loose on purpose: reps paste numbers in every national format. At least six
// digits, and only the characters phone numbers are written with.
const PHONE_CHARS = /^\+?[0-9\s().\-/]+$/;
const optionalPhone = optionalText(TEXT_LIMITS.phone, 'Phone').refine(
  (value) => value === null || (PHONE_CHARS.test(value) && value.replace(/\D/g, '').length >= 6),
  'Enter a valid phone number',
);

/** "harbourbistro.com" → "https://harbourbistro.com"; null when not a web address. */
export function normaliseWebsite(value: string): string | null {
  // A scheme without "//" (mailto:, javascript:, tel:) is never a website.
  if (/^[a-z][a-z0-9+.-]*:[^/\d]/i.test(value)) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname.includes('.') && url.hostname !== 'localhost') return null;
  if (/\s/.test(value)) return null;
  return withScheme;
}

const optionalWebsite = optionalText(TEXT_LIMITS.website, 'Website')
  .refine(
    (value) => value === null || normaliseWebsite(value) !== null,
    'Enter a web address, like harbourbistro.com',
  )
  .transform((value) => (value === null ? null : normaliseWebsite(value)));

/**
 * What a person may set on a restaurant. Shared by the web form (zodResolver) and
 * the create/update mutations, so the form and the request can never disagree.
 * The organisation is not part of the input: it comes from the current tenant.
 */
export const restaurantInputSchema = z.object({
  name: z
    .string({ error: 'Name is required' })
    .trim()
    .min(1, 'Name is required')
    .max(RESTAURANT_NAME_MAX, `Name must be at most ${RESTAURANT_NAME_MAX} characters`),
  contact_name: optionalText(RESTAURANT_TEXT_MAX, 'Contact name'),
  contact_email: optionalEmail,
  contact_phone: optionalPhone,
  website: optionalWebsite,
  address: optionalText(TEXT_LIMITS.address, 'Address'),
  city: optionalText(RESTAURANT_TEXT_MAX, 'City'),
  cuisine: optionalText(RESTAURANT_TEXT_MAX, 'Cuisine'),
  lead_stage: leadStageSchema.default('new'),
  lead_warmth: leadWarmthSchema.default('cold'),
  lead_status: leadStatusSchema.default('active'),
  assigned_sales_rep: z
    .union([z.uuid('Choose a member of this organisation'), z.literal('')])
    .nullish()
    .transform((value) => (value ? value : null)),
  notes: z
    .string()
    .max(RESTAURANT_NOTES_MAX, `Notes must be at most ${RESTAURANT_NOTES_MAX} characters`)
    .nullish()
    .transform((value) => (value && value.trim() ? value : null)),
});

/** What the form holds (strings, '' for empty). */
export type RestaurantFormValues = z.input<typeof restaurantInputSchema>;
/** What is sent to the database (nulls for empty). */
export type RestaurantInput = z.output<typeof restaurantInputSchema>;

/** Empty form values for a new restaurant. */
export const emptyRestaurantFormValues = {
  name: '',
  contact_name: '',
  contact_email: '',
  contact_phone: '',
  website: '',
  address: '',
  city: '',
  cuisine: '',
  lead_stage: 'new',
  lead_warmth: 'cold',
  lead_status: 'active',
  assigned_sales_rep: '',
  notes: '',
} satisfies RestaurantFormValues;

// A database row: generated types see the enum columns as plain text.
type RestaurantLike = { [K in keyof RestaurantInput]?: string | null };

const pick = <T extends string>(schema: z.ZodType<T>, value: unknown, fallback: T): T => {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : fallback;
};

/** Form values for editing an existing restaurant (nulls become empty strings). */
export function restaurantToFormValues(restaurant: RestaurantLike): RestaurantFormValues {
  return {
    name: restaurant.name ?? '',
    contact_name: restaurant.contact_name ?? '',
    contact_email: restaurant.contact_email ?? '',
    contact_phone: restaurant.contact_phone ?? '',
    website: restaurant.website ?? '',
    address: restaurant.address ?? '',
    city: restaurant.city ?? '',
    cuisine: restaurant.cuisine ?? '',
    lead_stage: pick(leadStageSchema, restaurant.lead_stage, 'new'),
    lead_warmth: pick(leadWarmthSchema, restaurant.lead_warmth, 'cold'),
    lead_status: pick(leadStatusSchema, restaurant.lead_status, 'active'),
    assigned_sales_rep: restaurant.assigned_sales_rep ?? '',
    notes: restaurant.notes ?? '',
  };
}

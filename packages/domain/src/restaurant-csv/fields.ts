// The restaurant fields a CSV column can fill, the header words that suggest each, and
// the columns an export writes (with headers the import recognises, so an export
// re-imports as is).

export const importFields = [
  'name',
  'contact_name',
  'contact_email',
  'contact_phone',
  'website',
  'address',
  'city',
  'cuisine',
  'lead_stage',
  'lead_warmth',
  'lead_status',
  'rep_email',
  'notes',
] as const;
export type ImportField = (typeof importFields)[number];

export const importFieldLabels: Record<ImportField, string> = {
  name: 'Name',
  contact_name: 'Contact name',
  contact_email: 'Email',
  contact_phone: 'Phone',
  website: 'Website',
  address: 'Address',
  city: 'City',
  cuisine: 'Cuisine',
  lead_stage: 'Stage',
  lead_warmth: 'Warmth',
  lead_status: 'Status',
  rep_email: 'Rep email',
  notes: 'Notes',
};

// Header words, compared after lower-casing and dropping everything but letters and
// digits ("E-mail address" → "emailaddress"). More specific words come first in the
// guess order below, so "Contact email" is an email and not a contact name.
const synonyms: Record<ImportField, readonly string[]> = {
  name: ['name', 'restaurant', 'restaurantname', 'business', 'businessname', 'company', 'venue'],
  contact_name: ['contact', 'contactname', 'contactperson', 'owner', 'person', 'fullname'],
  contact_email: ['email', 'emailaddress', 'contactemail', 'mail'],
  contact_phone: ['phone', 'phonenumber', 'telephone', 'tel', 'mobile', 'contactphone'],
  website: ['website', 'web', 'url', 'site', 'homepage'],
  address: ['address', 'street', 'streetaddress', 'addressline1'],
  city: ['city', 'town', 'locality'],
  cuisine: ['cuisine', 'food', 'foodtype', 'category', 'type'],
  lead_stage: ['stage', 'leadstage', 'pipelinestage'],
  lead_warmth: ['warmth', 'leadwarmth', 'temperature', 'heat'],
  lead_status: ['status', 'leadstatus'],
  rep_email: [
    'rep',
    'repemail',
    'salesrep',
    'salesrepemail',
    'assignedto',
    'assignedrep',
    'owneremail',
  ],
  notes: ['notes', 'note', 'comments', 'comment', 'description'],
};

const guessOrder: readonly ImportField[] = [
  'rep_email',
  'contact_email',
  'contact_phone',
  'contact_name',
  'lead_stage',
  'lead_warmth',
  'lead_status',
  'website',
  'address',
  'city',
  'cuisine',
  'notes',
  'name',
];

const normaliseHeader = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Which field each column fills (null: not imported). A field is guessed for one column at most. */
export type ColumnMapping = Array<ImportField | null>;

/** A mapping guessed from the header row: exact synonyms first, then "contains". */
export function guessMapping(headers: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = headers.map(() => null);
  const taken = new Set<ImportField>();
  const keys = headers.map(normaliseHeader);
  const pass = (matches: (key: string, word: string) => boolean) => {
    for (const field of guessOrder) {
      if (taken.has(field)) continue;
      const column = keys.findIndex(
        (key, index) =>
          mapping[index] === null &&
          key !== '' &&
          synonyms[field].some((word) => matches(key, word)),
      );
      if (column >= 0) {
        mapping[column] = field;
        taken.add(field);
      }
    }
  };
  pass((key, word) => key === word);
  // "Restaurant name (trading)" or "Primary email": a longer header holding a synonym.
  pass((key, word) => word.length >= 4 && key.includes(word));
  return mapping;
}

/** The columns an export writes, in order; each header maps back to its field on import. */
export const exportColumns = [
  { header: 'Name', field: 'name' },
  { header: 'Contact name', field: 'contact_name' },
  { header: 'Email', field: 'contact_email' },
  { header: 'Phone', field: 'contact_phone' },
  { header: 'Website', field: 'website' },
  { header: 'Address', field: 'address' },
  { header: 'City', field: 'city' },
  { header: 'Cuisine', field: 'cuisine' },
  { header: 'Stage', field: 'lead_stage' },
  { header: 'Warmth', field: 'lead_warmth' },
  { header: 'Status', field: 'lead_status' },
  { header: 'Rep email', field: 'rep_email' },
  { header: 'Notes', field: 'notes' },
] as const satisfies ReadonlyArray<{ header: string; field: ImportField }>;

/** The most rows one export writes; past it the page says the file stops there. */
export const EXPORT_MAX_ROWS = 50_000;

export type ExportRestaurant = { [K in ImportField]?: string | null };

/** Restaurants as CSV rows, header first (cells are neutralised by serialiseCsv). */
export function restaurantsToCsvRows(restaurants: readonly ExportRestaurant[]): string[][] {
  return [
    exportColumns.map((column) => column.header),
    ...restaurants.map((restaurant) =>
      exportColumns.map((column) => restaurant[column.field] ?? ''),
    ),
  ];
}

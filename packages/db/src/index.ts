// The database's types, generated from supabase/migrations (`pnpm gen:types`); `pnpm test`
// fails when they drift. Import them from here, never from the generated file directly.
export type * from './database.types.ts';

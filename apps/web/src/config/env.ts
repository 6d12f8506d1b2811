import { z } from 'zod';

const envSchema = z.object({
  VITE_SUPABASE_URL: z.url({ error: 'VITE_SUPABASE_URL must be the Supabase API URL' }),
  VITE_SUPABASE_ANON_KEY: z.string({ error: 'VITE_SUPABASE_ANON_KEY is required' }).min(1),
});

function parseEnv() {
  const result = envSchema.safeParse(import.meta.env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `- ${issue.message}`).join('\n');
    throw new Error(
      `The web app is missing configuration:\n${problems}\n` +
        'Set them in apps/web/.env.local or the environment (`pnpm stack status -o env` prints them).',
    );
  }
  return {
    supabaseUrl: result.data.VITE_SUPABASE_URL,
    supabaseAnonKey: result.data.VITE_SUPABASE_ANON_KEY,
  };
}

export const env = parseEnv();

import pg from 'pg';

/** What the benchmarks run against: one organisation, its rep, restaurants and templates. */
export interface Fixture {
  organisationId: string;
  userId: string;
  accessToken: string;
  shortTemplateId: string;
  longTemplateId: string;
  /** Restaurants nobody has started anything on yet, handed out by `takeRestaurants`. */
  takeRestaurants(n: number): string[];
}

export const SHORT_STEPS = 10;
/** The longest a sequence template may be (SEQUENCE_MAX_STEPS, …005000_limits). */
export const LONG_STEPS = 50;

export interface Api {
  apiUrl: string;
  anonKey: string;
  serviceRoleKey: string;
}

/** A confirmed user, signed in with a password: the bench's rep. */
export async function signUpRep(api: Api): Promise<{ userId: string; accessToken: string }> {
  const email = `bench-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@forkflow.test`;
  const password = 'bench-password';
  const created = await fetch(`${api.apiUrl}/auth/v1/admin/users`, {
    method: 'POST',
    headers: {
      apikey: api.serviceRoleKey,
      authorization: `Bearer ${api.serviceRoleKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ email, password, email_confirm: true }),
  });
  if (!created.ok) throw new Error(`creating the bench user failed: ${await created.text()}`);
  const { id: userId } = (await created.json()) as { id: string };
  const token = await fetch(`${api.apiUrl}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: api.anonKey, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!token.ok) throw new Error(`signing in the bench user failed: ${await token.text()}`);
  const { access_token: accessToken } = (await token.json()) as { access_token: string };
  return { userId, accessToken };
}

async function insertTemplate(
  db: pg.Client,
  organisationId: string,
  userId: string,
  name: string,
  steps: number,
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into public.sequence_templates (organisation_id, name, created_by) values ($1, $2, $3) returning id`,
    [organisationId, name, userId],
  );
  const templateId = rows[0]!.id;
  await db.query(
    `insert into public.sequence_steps
       (organisation_id, sequence_template_id, step_order, name, type, custom_message, delay_value, delay_unit)
     select $1, $2, g, 'Step ' || g, 'call', 'Hi {contact_name|there}, it is {rep_name} from {organisation_name}.',
            case when g = 1 then 0 else 1 end, 'days'
     from generate_series(1, $3::int) as g`,
    [organisationId, templateId, steps],
  );
  return templateId;
}

export async function createFixture(
  dbUrl: string,
  api: Api,
  restaurants: number,
): Promise<Fixture> {
  const { userId, accessToken } = await signUpRep(api);
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string }>(
      `insert into public.organisations (name) values ('Bench Foods') returning id`,
    );
    const organisationId = rows[0]!.id;
    await db.query(
      `insert into public.organisation_members (organisation_id, user_id, role) values ($1, $2, 'owner')`,
      [organisationId, userId],
    );
    const inserted = await db.query<{ id: string }>(
      `insert into public.restaurants (organisation_id, name, contact_name, city, assigned_sales_rep, created_by)
       select $1, 'Bench Bistro ' || g, 'Chef ' || g, 'Bristol', $2, $2 from generate_series(1, $3::int) as g
       returning id`,
      [organisationId, userId, restaurants],
    );
    const shortTemplateId = await insertTemplate(
      db,
      organisationId,
      userId,
      'Bench ten steps',
      SHORT_STEPS,
    );
    const longTemplateId = await insertTemplate(
      db,
      organisationId,
      userId,
      'Bench long chain',
      LONG_STEPS,
    );
    const pool = inserted.rows.map((r) => r.id);
    return {
      organisationId,
      userId,
      accessToken,
      shortTemplateId,
      longTemplateId,
      takeRestaurants(n) {
        if (pool.length < n) throw new Error('the bench ran out of fresh restaurants');
        return pool.splice(0, n);
      },
    };
  } finally {
    await db.end();
  }
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import vectors from '../../packages/domain/test-vectors/business-calendar.json' with { type: 'json' };
import { env } from './support/env.ts';
import { anonClient, createFixtures, type TestUser } from './support/users.ts';

// The business calendar in SQL: the shared due-date vectors (the same file the TypeScript
// unit tests run) through private.calendar_due_date_for, private.calendar_due_date and
// public.preview_due_dates; then RLS on public.business_calendars as real users through
// PostgREST. A denied UPDATE or DELETE under RLS is not an error, it matches no rows: those
// cases re-read the row with the service role and assert it is unchanged.

type Calendar = (typeof vectors.calendars)[keyof typeof vectors.calendars];
type DueCase = (typeof vectors.due_dates)[number] & { expected?: string; error?: string };

const calendars = vectors.calendars as Record<string, Calendar>;
const calendar = (name: string): Calendar => {
  const found = calendars[name];
  if (!found) throw new Error(`no calendar "${name}" in the vectors`);
  return found;
};
const dueCases = vectors.due_dates as DueCase[];
const iso = (value: Date | string) => new Date(value).toISOString().replace('.000Z', 'Z');

const fx = createFixtures('calendar');
const service = fx.service;

let owner: TestUser;
let admin: TestUser;
let member: TestUser;
let outsider: TestUser;
let organisationId: string;
let otherOrganisationId: string;
let db: pg.Client;

beforeAll(async () => {
  ({ owner, admin, member, outsider } = await fx.users('owner', 'admin', 'member', 'outsider'));
  organisationId = await fx.organisation(owner, { admins: [admin], members: [member] });
  otherOrganisationId = await fx.organisation(outsider);
  db = new pg.Client({ connectionString: env.dbUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await fx.cleanup();
});

/** Sets (or with null removes) an organisation's calendar as the superuser. */
async function setCalendar(orgId: string, value: Calendar | null): Promise<void> {
  await db.query('delete from public.business_calendars where organisation_id = $1', [orgId]);
  if (value === null) return;
  await db.query(
    `insert into public.business_calendars (organisation_id, time_zone, working_days, windows, holidays)
     values ($1, $2, $3, $4, $5)`,
    [orgId, value.time_zone, value.working_days, JSON.stringify(value.windows), value.holidays],
  );
}

async function readCalendar(orgId: string) {
  const { data, error } = await service
    .from('business_calendars')
    .select()
    .eq('organisation_id', orgId)
    .maybeSingle();
  if (error) throw new Error(`read calendar: ${error.message}`);
  return data;
}

/** Runs `query` for one due-date vector; compares the instant or the error. */
async function checkVector(c: DueCase, query: string, first: unknown): Promise<void> {
  const params = [first, c.from, c.delay.value, c.delay.unit];
  if (c.error) {
    await expect(db.query(query, params)).rejects.toMatchObject({
      code: '22023',
      message: expect.stringContaining(c.error),
    });
  } else {
    const { rows } = await db.query<{ due: Date }>(query, params);
    expect(iso(rows[0]!.due)).toBe(c.expected);
  }
}

describe('private.calendar_due_date_for (shared vectors)', () => {
  const query = 'select private.calendar_due_date_for($1::jsonb, $2, $3, $4) as due';

  it.each(dueCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await checkVector(c, query, JSON.stringify(calendar(c.calendar)));
  });

  it('does not depend on the session time zone', async () => {
    await db.query(`set timezone = 'Pacific/Chatham'`);
    try {
      for (const c of dueCases) await checkVector(c, query, JSON.stringify(calendar(c.calendar)));
    } finally {
      await db.query('reset timezone');
    }
  });

  it("'{}' is open around the clock in UTC", async () => {
    const { rows } = await db.query<{ due: Date }>(
      `select private.calendar_due_date_for('{}', '2026-11-23T10:15:00Z', 1, 'days') as due`,
    );
    expect(iso(rows[0]!.due)).toBe('2026-11-24T10:15:00Z');
  });
});

describe("private.calendar_due_date (the organisation's calendar, shared vectors)", () => {
  const query = 'select private.calendar_due_date($1, $2, $3, $4) as due';
  // The never-open calendar cannot be stored: the table refuses empty windows.
  const stored = Object.keys(calendars).filter((name) => name !== 'never_open');

  it.each(stored)('agrees with the vectors when the organisation uses %s', async (name) => {
    await setCalendar(organisationId, calendar(name));
    for (const c of dueCases.filter((v) => v.calendar === name)) {
      await checkVector(c, query, organisationId);
    }
  });

  it.each([
    ['no row', null],
    ['a row left at the defaults', vectors.calendars.around_the_clock],
  ] as const)('with %s is open around the clock in UTC', async (_label, value) => {
    await setCalendar(organisationId, value);
    for (const c of dueCases.filter((v) => v.calendar === 'around_the_clock')) {
      await checkVector(c, query, organisationId);
    }
  });
});

describe('public.preview_due_dates', () => {
  it.each(vectors.previews.map((p) => [p.name, p] as const))(
    'member previews: %s',
    async (_name, p) => {
      await setCalendar(organisationId, calendar(p.calendar));
      const { data, error } = await member.client.rpc('preview_due_dates', {
        p_organisation_id: organisationId,
        p_from: p.from,
        p_steps: p.steps,
      });
      expect(error).toBeNull();
      expect((data ?? []).map(iso)).toEqual(p.expected);
    },
  );

  it('without a calendar row the organisation is open around the clock', async () => {
    await setCalendar(organisationId, null);
    const { data, error } = await member.client.rpc('preview_due_dates', {
      p_organisation_id: organisationId,
      p_from: '2026-11-27T19:00:00Z',
      p_steps: [
        { delay_value: 0, delay_unit: 'days' },
        { delay_value: 1, delay_unit: 'days' },
        { delay_value: 90, delay_unit: 'minutes' },
      ],
    });
    expect(error).toBeNull();
    expect((data ?? []).map(iso)).toEqual([
      '2026-11-27T19:00:00Z',
      '2026-11-28T19:00:00Z',
      '2026-11-28T20:30:00Z',
    ]);
  });

  it("outsider cannot preview another organisation's due dates", async () => {
    const { data, error } = await outsider.client.rpc('preview_due_dates', {
      p_organisation_id: organisationId,
      p_from: '2026-11-23T10:00:00Z',
      p_steps: [{ delay_value: 1, delay_unit: 'days' }],
    });
    expect(data).toBeNull();
    expect(error?.code).toBe('42501');
  });

  it('anon cannot preview due dates', async () => {
    const { data, error } = await anonClient().rpc('preview_due_dates', {
      p_organisation_id: organisationId,
      p_from: '2026-11-23T10:00:00Z',
      p_steps: [],
    });
    expect(data).toBeNull();
    expect(error).not.toBeNull();
  });

  it.each([
    ['not an array', { delay_value: 1, delay_unit: 'days' }],
    ['a negative delay', [{ delay_value: -1, delay_unit: 'days' }]],
    ['a fractional delay', [{ delay_value: 1.5, delay_unit: 'hours' }]],
    ['an unknown unit', [{ delay_value: 1, delay_unit: 'weeks' }]],
    ['a missing unit', [{ delay_value: 1 }]],
  ])('refuses %s with 22023', async (_label, steps) => {
    const { data, error } = await member.client.rpc('preview_due_dates', {
      p_organisation_id: organisationId,
      p_from: '2026-11-23T10:00:00Z',
      p_steps: steps,
    });
    expect(data).toBeNull();
    expect(error?.code).toBe('22023');
  });
});

describe('reading business calendars', () => {
  beforeAll(() => setCalendar(organisationId, calendar('london_office')));

  it.each(['owner', 'admin', 'member'] as const)(
    "%s reads the organisation's calendar",
    async (who) => {
      const user = { owner, admin, member }[who];
      const { data, error } = await user.client
        .from('business_calendars')
        .select('organisation_id, time_zone, working_days, windows, holidays')
        .eq('organisation_id', organisationId);
      expect(error).toBeNull();
      expect(data).toEqual([{ organisation_id: organisationId, ...calendar('london_office') }]);
    },
  );

  it("outsider cannot read another organisation's calendar", async () => {
    const { data, error } = await outsider.client
      .from('business_calendars')
      .select('organisation_id')
      .eq('organisation_id', organisationId);
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  it('anon reads no calendars', async () => {
    const { data } = await anonClient().from('business_calendars').select('organisation_id');
    expect(data ?? []).toEqual([]);
  });
});

describe('writing business calendars', () => {
  const office = {
    time_zone: 'Europe/London',
    working_days: [1, 2, 3, 4, 5],
    windows: [{ start: '09:00', end: '17:00' }],
    holidays: [],
  };

  it.each(['owner', 'admin'] as const)('%s creates, changes and removes it', async (who) => {
    const user = { owner, admin }[who];
    await setCalendar(organisationId, null);

    const created = await user.client
      .from('business_calendars')
      .insert({ organisation_id: organisationId, ...office })
      .select()
      .single();
    expect(created.error).toBeNull();
    expect(created.data).toMatchObject(office);

    const updated = await user.client
      .from('business_calendars')
      .update({ time_zone: 'America/New_York' })
      .eq('organisation_id', organisationId)
      .select('time_zone');
    expect(updated.error).toBeNull();
    expect(updated.data).toEqual([{ time_zone: 'America/New_York' }]);

    const deleted = await user.client
      .from('business_calendars')
      .delete()
      .eq('organisation_id', organisationId)
      .select('organisation_id');
    expect(deleted.error).toBeNull();
    expect(deleted.data).toEqual([{ organisation_id: organisationId }]);
    expect(await readCalendar(organisationId)).toBeNull();
  });

  it('admin saves it with upsert, as the settings form does', async () => {
    await setCalendar(organisationId, null);
    for (const time_zone of ['Europe/London', 'Europe/Lisbon']) {
      const { error } = await admin.client
        .from('business_calendars')
        .upsert({ organisation_id: organisationId, ...office, time_zone })
        .select()
        .single();
      expect(error).toBeNull();
    }
    expect((await readCalendar(organisationId))?.time_zone).toBe('Europe/Lisbon');
  });

  it('member cannot create, change or remove it', async () => {
    await setCalendar(organisationId, null);
    const inserted = await member.client
      .from('business_calendars')
      .insert({ organisation_id: organisationId, ...office });
    expect(inserted.error?.code).toBe('42501');
    expect(await readCalendar(organisationId)).toBeNull();

    await setCalendar(organisationId, calendar('london_office'));
    const updated = await member.client
      .from('business_calendars')
      .update({ time_zone: 'UTC' })
      .eq('organisation_id', organisationId)
      .select();
    expect(updated.error).toBeNull();
    expect(updated.data).toEqual([]);

    const deleted = await member.client
      .from('business_calendars')
      .delete()
      .eq('organisation_id', organisationId)
      .select();
    expect(deleted.error).toBeNull();
    expect(deleted.data).toEqual([]);
    expect(await readCalendar(organisationId)).toMatchObject(calendar('london_office'));
  });

  it("outsider cannot create, change or remove another organisation's calendar", async () => {
    await setCalendar(organisationId, null);
    const inserted = await outsider.client
      .from('business_calendars')
      .insert({ organisation_id: organisationId, ...office });
    expect(inserted.error?.code).toBe('42501');
    expect(await readCalendar(organisationId)).toBeNull();

    await setCalendar(organisationId, calendar('london_office'));
    const updated = await outsider.client
      .from('business_calendars')
      .update({ time_zone: 'UTC' })
      .eq('organisation_id', organisationId)
      .select();
    expect(updated.data).toEqual([]);

    const deleted = await outsider.client
      .from('business_calendars')
      .delete()
      .eq('organisation_id', organisationId)
      .select();
    expect(deleted.data).toEqual([]);
    expect(await readCalendar(organisationId)).toMatchObject(calendar('london_office'));
  });

  it('outsider manages their own organisation’s calendar', async () => {
    const { error } = await outsider.client
      .from('business_calendars')
      .upsert({ organisation_id: otherOrganisationId, ...office });
    expect(error).toBeNull();
    expect(await readCalendar(otherOrganisationId)).toMatchObject(office);
  });

  it('anon cannot create, change or remove a calendar', async () => {
    await setCalendar(organisationId, calendar('london_office'));
    const anon = anonClient();
    const inserted = await anon
      .from('business_calendars')
      .insert({ organisation_id: otherOrganisationId, ...office });
    expect(inserted.error).not.toBeNull();
    await anon
      .from('business_calendars')
      .update({ time_zone: 'UTC' })
      .eq('organisation_id', organisationId);
    await anon.from('business_calendars').delete().eq('organisation_id', organisationId);
    expect(await readCalendar(organisationId)).toMatchObject(calendar('london_office'));
  });

  it('a calendar cannot move to another organisation', async () => {
    await fx.addMember(outsider, otherOrganisationId, admin, 'admin');
    await setCalendar(organisationId, calendar('london_office'));
    const { error } = await admin.client
      .from('business_calendars')
      .update({ organisation_id: otherOrganisationId })
      .eq('organisation_id', organisationId);
    expect(error?.code).toBe('23514');
  });
});

describe('business calendar validation', () => {
  const valid = {
    time_zone: 'Europe/London',
    working_days: [1, 2, 3, 4, 5],
    windows: [{ start: '09:00', end: '17:00' }],
    holidays: [] as string[],
  };

  async function save(values: Record<string, unknown>) {
    await setCalendar(organisationId, null);
    return admin.client
      .from('business_calendars')
      .insert({ organisation_id: organisationId, ...valid, ...values } as never)
      .select()
      .maybeSingle();
  }

  it('sorts working days and holidays and drops duplicates', async () => {
    const { data, error } = await save({
      working_days: [5, 1, 3, 1],
      holidays: ['2026-12-28', '2026-12-25', '2026-12-28'],
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({ working_days: [1, 3, 5], holidays: ['2026-12-25', '2026-12-28'] });
  });

  it('defaults to open around the clock in UTC', async () => {
    await setCalendar(organisationId, null);
    const { data, error } = await admin.client
      .from('business_calendars')
      .insert({ organisation_id: organisationId })
      .select('time_zone, working_days, windows, holidays')
      .single();
    expect(error).toBeNull();
    expect(data).toEqual(vectors.calendars.around_the_clock);
  });

  it.each([
    ['an unknown time zone', { time_zone: 'Europe/Lundon' }, /unknown time zone/],
    ['an offset instead of a zone', { time_zone: '+01:00' }, /unknown time zone/],
    ['no working days', { working_days: [] }, /at least one working day/],
    ['a weekday 8', { working_days: [1, 8] }, /ISO weekdays/],
    ['no windows', { windows: [] }, /at least one opening window/],
    [
      'a window ending before it starts',
      { windows: [{ start: '17:00', end: '09:00' }] },
      /end after it starts/,
    ],
    ['a malformed time', { windows: [{ start: '9:00', end: '17:00' }] }, /HH:MM/],
    ['24:00 as a start', { windows: [{ start: '24:00', end: '24:00' }] }, /HH:MM/],
    [
      'overlapping windows',
      {
        windows: [
          { start: '09:00', end: '12:00' },
          { start: '11:00', end: '17:00' },
        ],
      },
      /must not overlap/,
    ],
    [
      'windows out of order',
      {
        windows: [
          { start: '14:00', end: '17:00' },
          { start: '09:00', end: '12:00' },
        ],
      },
      /must not overlap/,
    ],
    [
      'a window with extra keys',
      { windows: [{ start: '09:00', end: '17:00', note: 'x' }] },
      /must be/,
    ],
    ['windows that are not an array', { windows: { start: '09:00', end: '17:00' } }, /JSON array/],
  ])('refuses %s with 23514', async (_label, values, message) => {
    const { error } = await save(values);
    expect(error?.code).toBe('23514');
    expect(error?.message).toMatch(message);
    expect(await readCalendar(organisationId)).toBeNull();
  });

  it('accepts windows that touch, up to 24:00', async () => {
    const { error } = await save({
      windows: [
        { start: '00:00', end: '02:00' },
        { start: '02:00', end: '24:00' },
      ],
    });
    expect(error).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeTask,
  createRestaurant,
  createTemplate,
  readInstance,
  startSequence,
  steps,
  taskRpc,
} from './support/sequences.ts';
import { anonClient, createFixtures, type TestUser } from './support/users.ts';

// restaurant_activity (issue 13 §4): written by triggers once per change, read by members
// through RLS and restaurant_timeline; never written through the API. Cross-organisation
// cases use a second organisation whose owner is the outsider.

const fx = createFixtures('activity');
const service = fx.service;

let owner: TestUser;
let member: TestUser;
let outsider: TestUser;
let organisationId: string;
let otherOrganisationId: string;

beforeAll(async () => {
  ({ owner, member, outsider } = await fx.users('owner', 'member', 'outsider'));
  organisationId = await fx.organisation(owner, { members: [member] });
  otherOrganisationId = await fx.organisation(outsider);
});

afterAll(() => fx.cleanup());

type Row = {
  id: number;
  kind: string;
  actor_id: string | null;
  actor_name: string | null;
  from_value: string | null;
  to_value: string | null;
  task_id: string | null;
  sequence_instance_id: string | null;
  details: Record<string, unknown>;
  created_at: string;
};

async function timeline(
  user: TestUser,
  restaurantId: string,
  page: { before?: string; beforeId?: number; limit?: number } = {},
): Promise<Row[]> {
  const { data, error } = await user.client.rpc('restaurant_timeline', {
    p_restaurant_id: restaurantId,
    ...(page.before ? { p_before: page.before } : {}),
    ...(page.beforeId ? { p_before_id: page.beforeId } : {}),
    ...(page.limit ? { p_limit: page.limit } : {}),
  });
  if (error) throw new Error(`restaurant_timeline: ${error.message}`);
  return data as unknown as Row[];
}

async function activityOf(restaurantId: string) {
  const { data, error } = await service
    .from('restaurant_activity')
    .select('*')
    .eq('restaurant_id', restaurantId)
    .order('id');
  if (error) throw new Error(error.message);
  return data;
}

describe('recording changes', () => {
  it('a stage, warmth, status, rep and notes change each record one row, with who and from → to', async () => {
    const restaurant = await createRestaurant(service, organisationId, { name: 'Activity One' });
    const { error } = await member.client
      .from('restaurants')
      .update({
        lead_stage: 'contacted',
        lead_warmth: 'warm',
        lead_status: 'paused',
        assigned_sales_rep: member.id,
        notes: 'Asked for a call back',
      })
      .eq('id', restaurant.id);
    expect(error).toBeNull();

    const rows = await activityOf(restaurant.id);
    expect(rows.map((r) => [r.kind, r.from_value, r.to_value]).sort()).toEqual(
      [
        ['notes_changed', null, 'Asked for a call back'],
        ['rep_changed', null, member.id],
        ['stage_changed', 'new', 'contacted'],
        ['status_changed', 'active', 'paused'],
        ['warmth_changed', 'cold', 'warm'],
      ].sort(),
    );
    expect(
      rows.every((r) => r.actor_id === member.id && r.organisation_id === organisationId),
    ).toBe(true);
  });

  it('an update that changes none of the tracked fields records nothing', async () => {
    const restaurant = await createRestaurant(service, organisationId, { lead_stage: 'qualified' });
    await member.client
      .from('restaurants')
      .update({ lead_stage: 'qualified', city: 'Lyon' })
      .eq('id', restaurant.id);
    expect(await activityOf(restaurant.id)).toEqual([]);
  });

  it('task finishes (with outcome and reason) and sequence events are recorded once each', async () => {
    const template = await createTemplate(owner, organisationId, [
      { name: 'Intro call', type: 'call', delay_value: 0, delay_unit: 'days' },
      ...steps(3).slice(1),
    ]);
    const restaurant = await createRestaurant(service, organisationId, { name: 'Sequence One' });
    const instance = await startSequence(member, template.id, restaurant.id);

    const first = await activeTask(service, instance.id);
    const done = await member.client.rpc('complete_task', {
      p_task_id: first.id,
      p_outcome: 'voicemail',
    });
    expect(done.error).toBeNull();
    await member.client.rpc('pause_sequence', { p_instance_id: instance.id });
    await member.client.rpc('resume_sequence', { p_instance_id: instance.id });
    const second = await activeTask(service, instance.id);
    const skipped = await member.client.rpc('skip_task', {
      p_task_id: second.id,
      p_reason: 'Closed for the season',
    });
    expect(skipped.error).toBeNull();
    await owner.client.rpc('cancel_sequence', { p_instance_id: instance.id });

    const rows = await activityOf(restaurant.id);
    expect(rows.map((r) => r.kind)).toEqual([
      'sequence_started',
      'task_completed',
      'sequence_paused',
      'sequence_resumed',
      'task_skipped',
      'sequence_cancelled',
    ]);
    const byKind = Object.fromEntries(rows.map((r) => [r.kind, r]));
    expect(byKind.task_completed?.details).toMatchObject({
      name: 'Intro call',
      call_outcome: 'voicemail',
    });
    expect(byKind.task_completed?.actor_id).toBe(member.id);
    expect(byKind.task_skipped?.details).toMatchObject({ skip_reason: 'Closed for the season' });
    expect(byKind.sequence_cancelled?.actor_id).toBe(owner.id);
    expect(byKind.sequence_started?.details).toMatchObject({ name: instance.name });
  });

  it('a move into an exit stage records the stage change and the sequence it ended, as an exit', async () => {
    const template = await createTemplate(owner, organisationId, steps(2), {
      exit_stages: ['won'],
    });
    const restaurant = await createRestaurant(service, organisationId, { name: 'Exit One' });
    const instance = await startSequence(member, template.id, restaurant.id);

    const ending = await member.client.rpc('sequences_ending_at_stage', {
      p_restaurant_id: restaurant.id,
      p_stage: 'won',
    });
    expect(ending.data).toEqual([{ id: instance.id, name: instance.name }]);
    const notEnding = await member.client.rpc('sequences_ending_at_stage', {
      p_restaurant_id: restaurant.id,
      p_stage: 'proposal',
    });
    expect(notEnding.data).toEqual([]);

    await member.client.from('restaurants').update({ lead_stage: 'won' }).eq('id', restaurant.id);
    expect((await readInstance(service, instance.id)).status).toBe('cancelled');

    const rows = await activityOf(restaurant.id);
    expect(rows.map((r) => r.kind)).toEqual([
      'sequence_started',
      'stage_changed',
      'sequence_exited',
    ]);
    expect(rows[2]?.details).toMatchObject({ reason: 'restaurant moved to won' });
    // The exit and the move share one transaction's timestamp; the id orders them.
    expect(rows[2]?.created_at).toBe(rows[1]?.created_at);
  });

  it('reopening a completed task records it, and the completion stays in the history', async () => {
    const restaurant = await createRestaurant(service, organisationId);
    const { data: task } = await member.client
      .from('tasks')
      .insert({
        organisation_id: organisationId,
        restaurant_id: restaurant.id,
        name: 'Send menu',
        created_by: member.id,
      })
      .select()
      .single();
    await taskRpc(member, 'complete_task', task!.id);
    const reopened = await member.client.rpc('reopen_task', { p_task_id: task!.id });
    expect(reopened.error).toBeNull();
    expect((await activityOf(restaurant.id)).map((r) => r.kind)).toEqual([
      'task_completed',
      'task_reopened',
    ]);
  });
});

describe('restaurant_timeline', () => {
  it('lists every source newest first with the actor’s name, and pages by keyset without gaps', async () => {
    const restaurant = await createRestaurant(service, organisationId, { name: 'Timeline One' });
    const template = await createTemplate(owner, organisationId, steps(2), {
      exit_stages: ['lost'],
    });
    await startSequence(member, template.id, restaurant.id);
    for (const stage of ['contacted', 'qualified', 'lost'] as const) {
      await member.client.from('restaurants').update({ lead_stage: stage }).eq('id', restaurant.id);
    }

    const all = await timeline(member, restaurant.id);
    expect(all.map((r) => r.kind)).toEqual([
      'sequence_exited',
      'stage_changed',
      'stage_changed',
      'stage_changed',
      'sequence_started',
    ]);
    expect(all.map((r) => r.to_value).slice(1, 4)).toEqual(['lost', 'qualified', 'contacted']);
    expect(all[1]?.actor_name).toBe(member.fullName);

    // Two at a time: the exit and its stage move share a timestamp, so the cursor needs the id.
    const pages: Row[] = [];
    let cursor: { before?: string; beforeId?: number } = {};
    for (let i = 0; i < 4; i += 1) {
      const page = await timeline(member, restaurant.id, { ...cursor, limit: 2 });
      pages.push(...page);
      const last = page.at(-1);
      if (!last || page.length < 2) break;
      cursor = { before: last.created_at, beforeId: last.id };
    }
    expect(pages.map((r) => r.id)).toEqual(all.map((r) => r.id));
  });

  it('a limit outside 1–200 is a 400 and a cursor id without its time is refused', async () => {
    const restaurant = await createRestaurant(service, organisationId);
    const tooMany = await member.client.rpc('restaurant_timeline', {
      p_restaurant_id: restaurant.id,
      p_limit: 500,
    });
    expect(tooMany.error?.code).toBe('22023');
    const noTime = await member.client.rpc('restaurant_timeline', {
      p_restaurant_id: restaurant.id,
      p_before_id: 5,
    });
    expect(noTime.error?.code).toBe('22023');
  });

  it("another organisation sees nothing of a restaurant's timeline, counts or ending sequences", async () => {
    const template = await createTemplate(owner, organisationId, steps(1), {
      exit_stages: ['won'],
    });
    const restaurant = await createRestaurant(service, organisationId, {
      name: 'Private One',
      lead_stage: 'proposal',
    });
    await startSequence(member, template.id, restaurant.id);
    await member.client.from('restaurants').update({ lead_warmth: 'hot' }).eq('id', restaurant.id);

    expect(await timeline(member, restaurant.id)).not.toEqual([]);
    expect(await timeline(outsider, restaurant.id)).toEqual([]);
    const ending = await outsider.client.rpc('sequences_ending_at_stage', {
      p_restaurant_id: restaurant.id,
      p_stage: 'won',
    });
    expect(ending.data).toEqual([]);
    const counts = await outsider.client.rpc('restaurant_stage_counts', {
      p_organisation_id: organisationId,
    });
    expect(counts.data).toEqual([]);
    const anon = await anonClient().rpc('restaurant_timeline', { p_restaurant_id: restaurant.id });
    expect(anon.error).not.toBeNull();
  });
});

describe('restaurant_stage_counts', () => {
  it('counts the organisation’s restaurants per stage, by rep and by search', async () => {
    const organisation = await fx.organisation(owner, {});
    await createRestaurant(service, organisation, { name: 'Count Alpha', lead_stage: 'new' });
    await createRestaurant(service, organisation, {
      name: 'Count Beta',
      lead_stage: 'new',
      assigned_sales_rep: owner.id,
    });
    await createRestaurant(service, organisation, { name: 'Gamma', lead_stage: 'won' });

    const all = await owner.client.rpc('restaurant_stage_counts', {
      p_organisation_id: organisation,
    });
    expect(Object.fromEntries((all.data ?? []).map((r) => [r.lead_stage, r.total]))).toEqual({
      new: 2,
      won: 1,
    });
    const mine = await owner.client.rpc('restaurant_stage_counts', {
      p_organisation_id: organisation,
      p_rep: owner.id,
    });
    expect(mine.data).toEqual([{ lead_stage: 'new', total: 1, capped: false }]);
    const search = await owner.client.rpc('restaurant_stage_counts', {
      p_organisation_id: organisation,
      p_search: 'gamma:*',
    });
    expect(search.data).toEqual([{ lead_stage: 'won', total: 1, capped: false }]);
    const mineSearched = await owner.client.rpc('restaurant_stage_counts', {
      p_organisation_id: organisation,
      p_rep: owner.id,
      p_search: 'count:*',
    });
    expect(mineSearched.data).toEqual([{ lead_stage: 'new', total: 1, capped: false }]);
  });

  it('never counts restaurants in the trash (it narrows by itself, as a security definer)', async () => {
    const organisation = await fx.organisation(owner, {});
    await createRestaurant(service, organisation, { name: 'Kept', lead_stage: 'won' });
    const trashed = await createRestaurant(service, organisation, {
      name: 'Trashed',
      lead_stage: 'won',
    });
    const { error } = await owner.client.rpc('move_to_trash', {
      p_kind: 'restaurant',
      p_ids: [trashed.id],
    });
    expect(error).toBeNull();
    for (const search of [undefined, 'trashed:*']) {
      const { data } = await owner.client.rpc('restaurant_stage_counts', {
        p_organisation_id: organisation,
        ...(search ? { p_search: search } : {}),
      });
      expect(data).toEqual(search ? [] : [{ lead_stage: 'won', total: 1, capped: false }]);
    }
  });

  it('counts a stage exactly up to 1,000 and says when there are more', async () => {
    const organisation = await fx.organisation(owner, {});
    const rows = (n: number, stage: 'lost' | 'won') =>
      Array.from({ length: n }, (_, i) => ({
        organisation_id: organisation,
        name: `Bulk ${stage} ${i}`,
        lead_stage: stage,
      }));
    const { error } = await service
      .from('restaurants')
      .insert([...rows(1001, 'lost'), ...rows(1000, 'won')]);
    expect(error).toBeNull();
    const { data } = await owner.client.rpc('restaurant_stage_counts', {
      p_organisation_id: organisation,
    });
    expect(data).toEqual(
      expect.arrayContaining([
        { lead_stage: 'lost', total: 1000, capped: true },
        { lead_stage: 'won', total: 1000, capped: false },
      ]),
    );
    expect(data).toHaveLength(2);
  });
});

describe('pipeline_column', () => {
  it('pages one stage newest first by keyset, by rep and by search; never the trash or another organisation', async () => {
    const organisation = await fx.organisation(owner, { members: [member] });
    const { data: rows, error } = await service
      .from('restaurants')
      .insert(
        Array.from({ length: 5 }, (_, i) => ({
          organisation_id: organisation,
          name: i === 2 ? 'Zanzibar Grill' : `Column ${i}`,
          lead_stage: 'proposal',
          assigned_sales_rep: i % 2 === 0 ? member.id : null,
        })),
      )
      .select('id, name');
    expect(error).toBeNull();
    // Distinct times, oldest first: Column 0 … Column 4.
    for (const [i, row] of (rows ?? []).entries()) {
      await service
        .from('restaurants')
        .update({ city: `City ${i}` })
        .eq('id', row.id);
    }
    await createRestaurant(service, organisation, { name: 'Elsewhere', lead_stage: 'won' });

    const page = async (args: Record<string, unknown>, as: TestUser = member) => {
      const { data, error: rpcError } = await as.client.rpc('pipeline_column', {
        p_organisation_id: organisation,
        p_stage: 'proposal',
        ...args,
      } as never);
      if (rpcError) throw new Error(rpcError.message);
      return data as Array<{ id: string; name: string; updated_at: string }>;
    };

    const first = await page({ p_limit: 2 });
    expect(first.map((r) => r.name)).toEqual(['Column 4', 'Column 3']);
    const last = first.at(-1)!;
    const second = await page({
      p_limit: 2,
      p_before_updated_at: last.updated_at,
      p_before_id: last.id,
    });
    expect(second.map((r) => r.name)).toEqual(['Zanzibar Grill', 'Column 1']);
    expect((await page({ p_rep: member.id })).map((r) => r.name)).toEqual([
      'Column 4',
      'Zanzibar Grill',
      'Column 0',
    ]);
    expect((await page({ p_search: 'zanzibar:*' })).map((r) => r.name)).toEqual(['Zanzibar Grill']);
    expect(await page({}, outsider)).toEqual([]);

    const trashed = rows!.find((r) => r.name === 'Column 4')!;
    await member.client.rpc('move_to_trash', { p_kind: 'restaurant', p_ids: [trashed.id] });
    expect((await page({})).map((r) => r.name)).not.toContain('Column 4');
  });

  it.each([
    ['an unknown stage', { p_stage: 'closed' }],
    ['a limit over 200', { p_limit: 201 }],
    ['half a cursor', { p_before_id: '20000000-0000-4000-8000-000000000001' }],
  ])('refuses %s with a 400', async (_what, args) => {
    const { error } = await member.client.rpc('pipeline_column', {
      p_organisation_id: organisationId,
      p_stage: 'new',
      ...args,
    } as never);
    expect(error?.code).toBe('22023');
  });

  it('anon cannot call it', async () => {
    const { error } = await anonClient().rpc('pipeline_column', {
      p_organisation_id: organisationId,
      p_stage: 'new',
    });
    expect(error).not.toBeNull();
  });
});

describe('RLS on restaurant_activity', () => {
  let restaurantId: string;
  let activityId: number;

  beforeAll(async () => {
    const restaurant = await createRestaurant(service, organisationId, { name: 'RLS One' });
    restaurantId = restaurant.id;
    await service.from('restaurants').update({ lead_stage: 'contacted' }).eq('id', restaurantId);
    activityId = (await activityOf(restaurantId))[0]!.id;
  });

  it.each(['owner', 'member'] as const)('%s reads the organisation’s activity', async (who) => {
    const user = who === 'owner' ? owner : member;
    const { data, error } = await user.client
      .from('restaurant_activity')
      .select('id, kind')
      .eq('restaurant_id', restaurantId);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: activityId, kind: 'stage_changed' }]);
  });

  it('outsider and anon read nothing', async () => {
    const outside = await outsider.client
      .from('restaurant_activity')
      .select('id')
      .eq('restaurant_id', restaurantId);
    expect(outside.data).toEqual([]);
    const anon = await anonClient().from('restaurant_activity').select('id');
    expect(anon.data).toEqual([]);
  });

  it.each([
    ['member', () => member],
    ['outsider', () => outsider],
  ] as const)('%s cannot insert activity', async (_who, user) => {
    const { error } = await user()
      .client.from('restaurant_activity')
      .insert({
        organisation_id: _who === 'member' ? organisationId : otherOrganisationId,
        restaurant_id: restaurantId,
        kind: 'stage_changed',
      } as never);
    expect(error?.code).toBe('42501');
    expect((await activityOf(restaurantId)).length).toBe(1);
  });

  it.each([
    ['member', () => member],
    ['outsider', () => outsider],
  ] as const)('%s cannot update or delete activity', async (_who, user) => {
    const update = await user()
      .client.from('restaurant_activity')
      .update({ to_value: 'won' } as never)
      .eq('id', activityId);
    expect(update.error?.code).toBe('42501');
    const del = await user().client.from('restaurant_activity').delete().eq('id', activityId);
    expect(del.error?.code).toBe('42501');
    const rows = await activityOf(restaurantId);
    expect(rows.map((r) => r.to_value)).toEqual(['contacted']);
  });

  it('activity goes with its restaurant', async () => {
    const restaurant = await createRestaurant(service, organisationId);
    await service.from('restaurants').update({ lead_warmth: 'hot' }).eq('id', restaurant.id);
    expect((await activityOf(restaurant.id)).length).toBe(1);
    await service.from('restaurants').delete().eq('id', restaurant.id);
    expect(await activityOf(restaurant.id)).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from './support/env.ts';
import { anonClient, createFixtures, type TestUser } from './support/users.ts';
import {
  createRestaurant,
  createTemplate,
  instanceTasks,
  readInstance,
  startSequence,
  steps,
} from './support/sequences.ts';

// RLS and column privileges on the task and sequence tables, as real users through
// PostgREST: member, admin, outsider (another organisation) and anon, for every verb.
// A denied read returns no rows; a denied UPDATE/DELETE matches no rows (re-read with the
// service role to prove nothing changed); a denied INSERT, or a write to a column the
// role may not write, is 42501. anon has no privileges on these tables at all.
//
// Templates: members read and create; the creator and owners/admins edit and delete.
// Steps follow their template. Instances: read by members, written only by the RPCs,
// deleted by members once ended. Tasks: members of the organisation, for every verb,
// except what moves a sequence (status, sequence columns) — only the RPCs do that.

const fx = createFixtures('tasks-rls');
const service = fx.service;

let owner: TestUser;
let admin: TestUser;
let member: TestUser;
let colleague: TestUser;
let outsider: TestUser;
let organisationId: string;
let otherOrganisationId: string;

beforeAll(async () => {
  ({ owner, admin, member, colleague, outsider } = await fx.users(
    'owner',
    'admin',
    'member',
    'colleague',
    'outsider',
  ));
  organisationId = await fx.organisation(owner, {
    admins: [admin],
    members: [member, colleague],
  });
  otherOrganisationId = await fx.organisation(outsider);
});

afterAll(() => fx.cleanup());

const unique = (label: string) => `${label} ${Math.random().toString(36).slice(2, 8)}`;

// The three template tables share one rule set ------------------------------------------
type TemplateTable = 'message_templates' | 'task_templates' | 'sequence_templates';

const templateValues: Record<TemplateTable, (name: string) => Record<string, unknown>> = {
  message_templates: (name) => ({ name, message_content: 'Hi {contact_first_name|there}' }),
  task_templates: (name) => ({ name, type: 'call' }),
  sequence_templates: (name) => ({ name }),
};

async function seedTemplate(table: TemplateTable, createdBy: string, org = organisationId) {
  const { data, error } = await service
    .from(table)
    .insert({
      organisation_id: org,
      created_by: createdBy,
      ...templateValues[table](unique('Seeded')),
    } as never)
    .select('id, name')
    .single();
  if (error) throw new Error(`seed ${table}: ${error.message}`);
  return data as { id: string; name: string };
}

async function readName(table: TemplateTable | 'tasks', id: string): Promise<string | null> {
  const { data } = await service.from(table).select('name').eq('id', id).maybeSingle();
  return (data as { name: string } | null)?.name ?? null;
}

describe.each(['message_templates', 'task_templates', 'sequence_templates'] as const)(
  '%s',
  (table) => {
    describe('select', () => {
      it.each(['member', 'admin'] as const)(
        "%s reads the organisation's templates",
        async (who) => {
          const row = await seedTemplate(table, owner.id);
          const user = who === 'member' ? member : admin;
          const { data, error } = await user.client.from(table).select('id').eq('id', row.id);
          expect(error).toBeNull();
          expect(data).toEqual([{ id: row.id }]);
        },
      );

      it("outsider cannot read another organisation's templates", async () => {
        const row = await seedTemplate(table, owner.id);
        const { data, error } = await outsider.client.from(table).select('id').eq('id', row.id);
        expect(error).toBeNull();
        expect(data).toEqual([]);
      });

      it('anon cannot read templates', async () => {
        const { data, error } = await anonClient().from(table).select('id');
        expect(error?.code).toBe('42501');
        expect(data).toBeNull();
      });
    });

    describe('insert', () => {
      it.each(['member', 'admin'] as const)(
        '%s creates a template in the organisation',
        async (who) => {
          const user = who === 'member' ? member : admin;
          const name = unique(`By ${who}`);
          const { data, error } = await user.client
            .from(table)
            .insert({ organisation_id: organisationId, ...templateValues[table](name) } as never)
            .select('name, created_by, usage_count')
            .single();
          expect(error).toBeNull();
          expect(data).toEqual({ name, created_by: user.id, usage_count: 0 });
        },
      );

      it('a template cannot be created in the name of someone else', async () => {
        const { error } = await member.client.from(table).insert({
          organisation_id: organisationId,
          created_by: owner.id,
          ...templateValues[table](unique('Ghost')),
        } as never);
        expect(error?.code).toBe('42501');
      });

      it('outsider cannot create a template in the organisation', async () => {
        const name = unique('Outsider');
        const { error } = await outsider.client
          .from(table)
          .insert({ organisation_id: organisationId, ...templateValues[table](name) } as never);
        expect(error?.code).toBe('42501');
        const { data } = await service.from(table).select('id').eq('name', name);
        expect(data).toEqual([]);
      });

      it('anon cannot create a template', async () => {
        const { error } = await anonClient()
          .from(table)
          .insert({
            organisation_id: organisationId,
            ...templateValues[table](unique('Anon')),
          } as never);
        expect(error?.code).toBe('42501');
      });

      it('usage_count cannot be set through the API', async () => {
        const { error } = await member.client.from(table).insert({
          organisation_id: organisationId,
          usage_count: 99,
          ...templateValues[table](unique('Counted')),
        } as never);
        expect(error?.code).toBe('42501');
      });
    });

    describe('update', () => {
      it('the creator edits their own template', async () => {
        const row = await seedTemplate(table, member.id);
        const { data, error } = await member.client
          .from(table)
          .update({ name: 'Edited by creator' } as never)
          .eq('id', row.id)
          .select('name');
        expect(error).toBeNull();
        expect(data).toEqual([{ name: 'Edited by creator' }]);
      });

      it("a member cannot edit someone else's template", async () => {
        const row = await seedTemplate(table, colleague.id);
        const { data, error } = await member.client
          .from(table)
          .update({ name: 'Defaced' } as never)
          .eq('id', row.id)
          .select('name');
        expect(error).toBeNull();
        expect(data).toEqual([]);
        expect(await readName(table, row.id)).toBe(row.name);
      });

      it("an admin edits anyone's template", async () => {
        const row = await seedTemplate(table, colleague.id);
        const { data, error } = await admin.client
          .from(table)
          .update({ name: 'Tidied by admin' } as never)
          .eq('id', row.id)
          .select('name');
        expect(error).toBeNull();
        expect(data).toEqual([{ name: 'Tidied by admin' }]);
      });

      it("outsider cannot edit another organisation's template", async () => {
        const row = await seedTemplate(table, owner.id);
        const { data } = await outsider.client
          .from(table)
          .update({ name: 'Defaced' } as never)
          .eq('id', row.id)
          .select('name');
        expect(data).toEqual([]);
        expect(await readName(table, row.id)).toBe(row.name);
      });

      it('anon cannot edit templates', async () => {
        const row = await seedTemplate(table, owner.id);
        const { error } = await anonClient()
          .from(table)
          .update({ name: 'Defaced' } as never)
          .eq('id', row.id);
        expect(error?.code).toBe('42501');
        expect(await readName(table, row.id)).toBe(row.name);
      });

      it('usage_count and created_by cannot be changed through the API', async () => {
        const row = await seedTemplate(table, member.id);
        for (const change of [{ usage_count: 1000 }, { created_by: colleague.id }]) {
          const { error } = await member.client
            .from(table)
            .update(change as never)
            .eq('id', row.id);
          expect(error?.code).toBe('42501');
        }
      });
    });

    // Deleting is move_to_trash (a soft delete; supabase/tests/trash.test.ts): DELETE is
    // refused to every API role, and the trash keeps the same who-may rule.
    describe('delete', () => {
      const kind = (
        {
          task_templates: 'task_template',
          message_templates: 'message_template',
          sequence_templates: 'sequence_template',
        } as const
      )[table];
      // The service role reads past RLS, trashed rows included.
      const trashedAt = async (id: string) =>
        (await service.from(table).select('deleted_at').eq('id', id).single()).data?.deleted_at;

      it('nobody deletes templates with DELETE', async () => {
        const row = await seedTemplate(table, member.id);
        const { error } = await member.client.from(table).delete().eq('id', row.id);
        expect(error?.code).toBe('42501');
        expect(await readName(table, row.id)).toBe(row.name);
      });

      it('the creator trashes their own template', async () => {
        const row = await seedTemplate(table, member.id);
        const { data, error } = await member.client.rpc('move_to_trash', {
          p_kind: kind,
          p_ids: [row.id],
        });
        expect(error).toBeNull();
        expect(data).toEqual([{ id: row.id }]);
        expect(await trashedAt(row.id)).not.toBeNull();
      });

      it("a member cannot trash someone else's template", async () => {
        const row = await seedTemplate(table, colleague.id);
        const { data } = await member.client.rpc('move_to_trash', {
          p_kind: kind,
          p_ids: [row.id],
        });
        expect(data).toEqual([]);
        expect(await trashedAt(row.id)).toBeNull();
      });

      it("an admin trashes anyone's template", async () => {
        const row = await seedTemplate(table, colleague.id);
        const { data } = await admin.client.rpc('move_to_trash', { p_kind: kind, p_ids: [row.id] });
        expect(data).toEqual([{ id: row.id }]);
      });

      it("outsider cannot trash another organisation's template", async () => {
        const row = await seedTemplate(table, owner.id);
        const { data } = await outsider.client.rpc('move_to_trash', {
          p_kind: kind,
          p_ids: [row.id],
        });
        expect(data).toEqual([]);
        expect(await trashedAt(row.id)).toBeNull();
      });

      it('anon cannot delete templates', async () => {
        const row = await seedTemplate(table, owner.id);
        const { error } = await anonClient().from(table).delete().eq('id', row.id);
        expect(error?.code).toBe('42501');
        expect(await readName(table, row.id)).toBe(row.name);
      });
    });
  },
);

describe('task templates and message templates stay inside their organisation', () => {
  it("a task template cannot point at another organisation's message template", async () => {
    const foreign = await seedTemplate('message_templates', outsider.id, otherOrganisationId);
    const { error } = await member.client.from('task_templates').insert({
      organisation_id: organisationId,
      name: 'Cross-tenant',
      message_template_id: foreign.id,
    });
    expect(error?.code).toBe('23503');
  });
});

// sequence_steps: rights follow the template ------------------------------------------
describe('sequence_steps', () => {
  async function readStep(id: string) {
    const { data } = await service.from('sequence_steps').select().eq('id', id).maybeSingle();
    return data;
  }
  async function templateWithStep(creator: TestUser) {
    const template = await createTemplate(creator, organisationId, steps(1));
    const { data } = await service
      .from('sequence_steps')
      .select('id, name')
      .eq('sequence_template_id', template.id)
      .single();
    return { template, step: data! };
  }
  const newStep = (templateId: string, org = organisationId) => ({
    organisation_id: org,
    sequence_template_id: templateId,
    step_order: 2,
    name: 'Added step',
  });

  it('members read the steps of their organisation; outsider and anon do not', async () => {
    const { step } = await templateWithStep(colleague);
    expect(
      (await member.client.from('sequence_steps').select('id').eq('id', step.id)).data,
    ).toEqual([{ id: step.id }]);
    expect(
      (await outsider.client.from('sequence_steps').select('id').eq('id', step.id)).data,
    ).toEqual([]);
    expect((await anonClient().from('sequence_steps').select('id')).error?.code).toBe('42501');
  });

  it("the template's creator and admins add steps; another member, outsider and anon cannot", async () => {
    const { template } = await templateWithStep(colleague);
    expect(
      (await member.client.from('sequence_steps').insert(newStep(template.id))).error?.code,
    ).toBe('42501');
    expect(
      (await outsider.client.from('sequence_steps').insert(newStep(template.id))).error?.code,
    ).toBe('42501');
    expect(
      (await anonClient().from('sequence_steps').insert(newStep(template.id))).error?.code,
    ).toBe('42501');
    expect(
      (await colleague.client.from('sequence_steps').insert(newStep(template.id))).error,
    ).toBeNull();
    expect(
      (await admin.client.from('sequence_steps').insert({ ...newStep(template.id), step_order: 3 }))
        .error,
    ).toBeNull();
  });

  it("the template's creator and admins edit steps; another member, outsider and anon cannot", async () => {
    const { step } = await templateWithStep(colleague);
    const rename = (client: Client, name: string) =>
      client.from('sequence_steps').update({ name }).eq('id', step.id).select('name');

    expect((await rename(member.client, 'By member')).data).toEqual([]);
    expect((await rename(outsider.client, 'By outsider')).data).toEqual([]);
    expect((await rename(anonClient(), 'By anon')).error?.code).toBe('42501');
    expect((await readStep(step.id))?.name).toBe(step.name);

    expect((await rename(colleague.client, 'By creator')).data).toEqual([{ name: 'By creator' }]);
    expect((await rename(admin.client, 'By admin')).data).toEqual([{ name: 'By admin' }]);
  });

  it("the template's creator and admins delete steps; another member, outsider and anon cannot", async () => {
    const { step } = await templateWithStep(colleague);
    await member.client.from('sequence_steps').delete().eq('id', step.id);
    await outsider.client.from('sequence_steps').delete().eq('id', step.id);
    expect((await anonClient().from('sequence_steps').delete().eq('id', step.id)).error?.code).toBe(
      '42501',
    );
    expect(await readStep(step.id)).not.toBeNull();

    const { error } = await admin.client.from('sequence_steps').delete().eq('id', step.id);
    expect(error).toBeNull();
    expect(await readStep(step.id)).toBeNull();

    const other = await templateWithStep(colleague);
    await colleague.client.from('sequence_steps').delete().eq('id', other.step.id);
    expect(await readStep(other.step.id)).toBeNull();
  });

  it("a step cannot use another organisation's task template", async () => {
    const { template } = await templateWithStep(member);
    const foreign = await seedTemplate('task_templates', outsider.id, otherOrganisationId);
    const { error } = await member.client
      .from('sequence_steps')
      .insert({ ...newStep(template.id), task_template_id: foreign.id });
    expect(error?.code).toBe('23503');
  });
});

// sequence_instances: read by members, written by the RPCs, deleted once ended ----------
describe('sequence_instances', () => {
  async function runningInstance() {
    const template = await createTemplate(member, organisationId, steps(2));
    const restaurant = await createRestaurant(service, organisationId);
    return startSequence(member, template.id, restaurant.id);
  }
  const exists = async (id: string) =>
    (await service.from('sequence_instances').select('id').eq('id', id)).data?.length === 1;

  it.each(['member', 'admin'] as const)("%s reads the organisation's instances", async (who) => {
    const instance = await runningInstance();
    const user = who === 'member' ? member : admin;
    const { data } = await user.client
      .from('sequence_instances')
      .select('id')
      .eq('id', instance.id);
    expect(data).toEqual([{ id: instance.id }]);
  });

  it('outsider and anon cannot read instances', async () => {
    const instance = await runningInstance();
    expect(
      (await outsider.client.from('sequence_instances').select('id').eq('id', instance.id)).data,
    ).toEqual([]);
    expect((await anonClient().from('sequence_instances').select('id')).error?.code).toBe('42501');
  });

  it.each(['member', 'admin'] as const)('%s cannot insert an instance directly', async (who) => {
    const user = who === 'member' ? member : admin;
    const restaurant = await createRestaurant(service, organisationId);
    const { error } = await user.client.from('sequence_instances').insert({
      organisation_id: organisationId,
      restaurant_id: restaurant.id,
      name: 'Forged',
      total_steps: 0,
      steps_snapshot: [],
    });
    expect(error?.code).toBe('42501');
  });

  it('outsider and anon cannot insert an instance', async () => {
    const restaurant = await createRestaurant(service, organisationId);
    const row = {
      organisation_id: organisationId,
      restaurant_id: restaurant.id,
      name: 'Forged',
      total_steps: 0,
      steps_snapshot: [],
    };
    expect((await outsider.client.from('sequence_instances').insert(row)).error?.code).toBe(
      '42501',
    );
    expect((await anonClient().from('sequence_instances').insert(row)).error?.code).toBe('42501');
  });

  it.each(['member', 'admin', 'outsider'] as const)(
    '%s cannot update an instance directly',
    async (who) => {
      const user = { member, admin, outsider }[who];
      const instance = await runningInstance();
      const { error } = await user.client
        .from('sequence_instances')
        .update({ name: 'Renamed' } as never)
        .eq('id', instance.id);
      expect(error?.code).toBe('42501');
      expect((await readInstance(service, instance.id)).name).toBe(instance.name);
    },
  );

  it('anon cannot update an instance', async () => {
    const instance = await runningInstance();
    const { error } = await anonClient()
      .from('sequence_instances')
      .update({ name: 'Renamed' } as never)
      .eq('id', instance.id);
    expect(error?.code).toBe('42501');
  });

  it('a member deletes an ended instance; its tasks stay, unlinked', async () => {
    const instance = await runningInstance();
    const tasks = await instanceTasks(service, instance.id);
    await member.client.rpc('cancel_sequence', { p_instance_id: instance.id });
    const { error } = await member.client.from('sequence_instances').delete().eq('id', instance.id);
    expect(error).toBeNull();
    expect(await exists(instance.id)).toBe(false);
    const { data: kept } = await service
      .from('tasks')
      .select('status, sequence_instance_id')
      .in(
        'id',
        tasks.map((t) => t.id),
      );
    expect(kept).toEqual([
      { status: 'cancelled', sequence_instance_id: null },
      { status: 'cancelled', sequence_instance_id: null },
    ]);
  });

  it('a running instance cannot be deleted (cancel it first)', async () => {
    const instance = await runningInstance();
    const { error } = await member.client.from('sequence_instances').delete().eq('id', instance.id);
    expect(error).toBeNull();
    expect(await exists(instance.id)).toBe(true);
  });

  it('outsider and anon cannot delete an ended instance', async () => {
    const instance = await runningInstance();
    await member.client.rpc('cancel_sequence', { p_instance_id: instance.id });
    await outsider.client.from('sequence_instances').delete().eq('id', instance.id);
    expect(
      (await anonClient().from('sequence_instances').delete().eq('id', instance.id)).error?.code,
    ).toBe('42501');
    expect(await exists(instance.id)).toBe(true);
  });
});

// tasks -------------------------------------------------------------------------------
describe('tasks', () => {
  async function seedTask(values: Record<string, unknown> = {}) {
    const { data, error } = await service
      .from('tasks')
      .insert({ organisation_id: organisationId, name: unique('Seeded task'), ...values } as never)
      .select('id, name')
      .single();
    if (error) throw new Error(`seed task: ${error.message}`);
    return data as { id: string; name: string };
  }

  it.each(['member', 'admin'] as const)("%s reads the organisation's tasks", async (who) => {
    const task = await seedTask();
    const user = who === 'member' ? member : admin;
    expect((await user.client.from('tasks').select('id').eq('id', task.id)).data).toEqual([
      { id: task.id },
    ]);
  });

  it("outsider cannot read another organisation's tasks, sequence tasks included", async () => {
    const task = await seedTask();
    const template = await createTemplate(member, organisationId, steps(2));
    const instance = await startSequence(
      member,
      template.id,
      (await createRestaurant(service, organisationId)).id,
    );
    const { data, error } = await outsider.client
      .from('tasks')
      .select('id')
      .or(`id.eq.${task.id},sequence_instance_id.eq.${instance.id}`);
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  it('anon cannot read tasks', async () => {
    const { data, error } = await anonClient().from('tasks').select('id');
    expect(error?.code).toBe('42501');
    expect(data).toBeNull();
  });

  it.each(['member', 'admin'] as const)(
    '%s creates an ad-hoc task, active and assigned to themselves',
    async (who) => {
      const user = who === 'member' ? member : admin;
      const restaurant = await createRestaurant(service, organisationId);
      const { data, error } = await user.client
        .from('tasks')
        .insert({
          organisation_id: organisationId,
          restaurant_id: restaurant.id,
          name: 'Call back after lunch',
          type: 'call',
          due_date: new Date(Date.now() + 3_600_000).toISOString(),
        })
        .select('status, assigned_to, created_by')
        .single();
      expect(error).toBeNull();
      expect(data).toEqual({ status: 'active', assigned_to: user.id, created_by: user.id });
    },
  );

  it('outsider and anon cannot create a task in the organisation', async () => {
    const name = unique('Intruder task');
    expect(
      (await outsider.client.from('tasks').insert({ organisation_id: organisationId, name })).error
        ?.code,
    ).toBe('42501');
    expect(
      (await anonClient().from('tasks').insert({ organisation_id: organisationId, name })).error
        ?.code,
    ).toBe('42501');
    expect((await service.from('tasks').select('id').eq('name', name)).data).toEqual([]);
  });

  it("a task cannot name another organisation's restaurant or a non-member assignee", async () => {
    const foreign = await createRestaurant(service, otherOrganisationId);
    const restaurant = await member.client
      .from('tasks')
      .insert({ organisation_id: organisationId, name: 'Cross-tenant', restaurant_id: foreign.id });
    expect(restaurant.error?.code).toBe('23503');
    const assignee = await member.client
      .from('tasks')
      .insert({ organisation_id: organisationId, name: 'Cross-tenant', assigned_to: outsider.id });
    expect(assignee.error?.code).toBe('23503');
  });

  it('a task cannot be created with a status other than active', async () => {
    const { error } = await member.client.from('tasks').insert({
      organisation_id: organisationId,
      name: 'Already done',
      status: 'completed',
    } as never);
    expect(error?.code).toBe('42501');
  });

  it.each(['member', 'admin'] as const)("%s edits a task's details", async (who) => {
    const user = who === 'member' ? member : admin;
    const task = await seedTask();
    const { data, error } = await user.client
      .from('tasks')
      .update({ name: `Edited by ${who}`, priority: 'high', assigned_to: colleague.id })
      .eq('id', task.id)
      .select('name, priority, assigned_to');
    expect(error).toBeNull();
    expect(data).toEqual([
      { name: `Edited by ${who}`, priority: 'high', assigned_to: colleague.id },
    ]);
  });

  it("outsider cannot edit another organisation's task; anon cannot edit tasks", async () => {
    const task = await seedTask();
    expect(
      (await outsider.client.from('tasks').update({ name: 'Defaced' }).eq('id', task.id).select())
        .data,
    ).toEqual([]);
    expect(
      (await anonClient().from('tasks').update({ name: 'Defaced' }).eq('id', task.id)).error?.code,
    ).toBe('42501');
    expect(await readName('tasks', task.id)).toBe(task.name);
  });

  it.each([
    'status',
    'completed_at',
    'sequence_instance_id',
    'sequence_step_order',
    'organisation_id',
  ])('a member cannot write %s directly', async (column) => {
    const task = await seedTask();
    const value =
      column === 'status'
        ? 'skipped'
        : column === 'completed_at'
          ? new Date().toISOString()
          : column === 'sequence_step_order'
            ? 1
            : otherOrganisationId;
    const { error } = await member.client
      .from('tasks')
      .update({ [column]: value } as never)
      .eq('id', task.id);
    expect(error?.code).toBe('42501');
  });

  it('a member deletes an ad-hoc task assigned to them; an admin deletes anyone’s', async () => {
    const theirs = await seedTask({ assigned_to: member.id });
    expect((await member.client.from('tasks').delete().eq('id', theirs.id)).error).toBeNull();
    expect(await readName('tasks', theirs.id)).toBeNull();
    const anyones = await seedTask();
    expect((await admin.client.from('tasks').delete().eq('id', anyones.id)).error).toBeNull();
    expect(await readName('tasks', anyones.id)).toBeNull();
  });

  it('a member cannot delete a colleague’s task (issue 10: no pipeline gone in one click)', async () => {
    const colleagues = await seedTask({ assigned_to: admin.id });
    const { error } = await member.client.from('tasks').delete().eq('id', colleagues.id);
    expect(error).toBeNull(); // RLS hides it from the delete, as for any row not theirs
    expect(await readName('tasks', colleagues.id)).toBe(colleagues.name);
  });

  it('one DELETE of more than 100 tasks is refused with 400 and deletes none', async () => {
    const batch = unique('Bulk');
    const { error: seedError } = await service.from('tasks').insert(
      Array.from({ length: 101 }, (_, i) => ({
        organisation_id: organisationId,
        name: `${batch} ${i}`,
        assigned_to: member.id,
      })) as never,
    );
    expect(seedError).toBeNull();
    const { error, status } = await member.client.from('tasks').delete().like('name', `${batch} %`);
    expect(status).toBe(400);
    expect(error?.code).toBe('too_many_rows');
    const { count } = await service
      .from('tasks')
      .select('id', { count: 'exact', head: true })
      .like('name', `${batch} %`);
    expect(count).toBe(101);
    // 100 at once is what the trash RPCs take too, and goes through.
    const { error: hundred } = await member.client
      .from('tasks')
      .delete()
      .like('name', `${batch} %`)
      .neq('name', `${batch} 0`);
    expect(hundred).toBeNull();
  });

  it('the bound counts the request’s own rows: an owner deletes an organisation with 101 tasks', async () => {
    const doomed = await fx.organisation(outsider);
    const { error: seedError } = await service.from('tasks').insert(
      Array.from({ length: 101 }, (_, i) => ({
        organisation_id: doomed,
        name: `Doomed ${i}`,
        assigned_to: outsider.id,
      })) as never,
    );
    expect(seedError).toBeNull();
    // The cascade to tasks runs as the caller's role inside the foreign key's trigger.
    const { error } = await outsider.client.from('organisations').delete().eq('id', doomed);
    expect(error).toBeNull();
    const { count } = await service
      .from('tasks')
      .select('id', { count: 'exact', head: true })
      .eq('organisation_id', doomed);
    expect(count).toBe(0);
  });

  it("outsider cannot delete another organisation's task; anon cannot delete tasks", async () => {
    const task = await seedTask();
    await outsider.client.from('tasks').delete().eq('id', task.id);
    expect((await anonClient().from('tasks').delete().eq('id', task.id)).error?.code).toBe('42501');
    expect(await readName('tasks', task.id)).toBe(task.name);
  });
});

// Another organisation's rep, through the RPCs ------------------------------------------
describe("a rep of another organisation cannot act on the organisation's sequences", () => {
  let instanceId: string;
  let activeTaskId: string;
  let pendingTaskId: string;

  beforeAll(async () => {
    const template = await createTemplate(member, organisationId, steps(3));
    const restaurant = await createRestaurant(service, organisationId);
    const instance = await startSequence(member, template.id, restaurant.id);
    instanceId = instance.id;
    const tasks = await instanceTasks(service, instance.id);
    activeTaskId = tasks[0]!.id;
    pendingTaskId = tasks[1]!.id;
  });

  const unchanged = async () => {
    expect((await instanceTasks(service, instanceId)).map((t) => t.status)).toEqual([
      'active',
      'pending',
      'pending',
    ]);
    expect(await readInstance(service, instanceId)).toMatchObject({
      status: 'active',
      is_modified: false,
    });
  };

  it.each([
    ['complete_task', () => ({ p_task_id: activeTaskId })],
    ['skip_task', () => ({ p_task_id: activeTaskId })],
    ['pause_sequence', () => ({ p_instance_id: instanceId })],
    ['resume_sequence', () => ({ p_instance_id: instanceId })],
    ['cancel_sequence', () => ({ p_instance_id: instanceId })],
    ['restart_sequence', () => ({ p_instance_id: instanceId })],
    [
      'insert_sequence_task',
      () => ({ p_instance_id: instanceId, p_position: 3, p_task: { name: 'x' } }),
    ],
    [
      'update_sequence_task_delay',
      () => ({ p_task_id: pendingTaskId, p_delay_value: 9, p_delay_unit: 'days' }),
    ],
    ['delete_sequence_task', () => ({ p_task_id: pendingTaskId })],
  ] as const)('outsider calling %s gets 404 and changes nothing', async (fn, args) => {
    const { error, status } = await outsider.client.rpc(fn, args() as never);
    expect(error?.code).toBe('P0002');
    expect(status).toBe(404);
    await unchanged();
  });

  it.each(['complete_task', 'skip_task'] as const)('anon calling %s is refused', async (fn) => {
    const { error } = await anonClient().rpc(fn, { p_task_id: activeTaskId });
    expect(error?.code).toBe('42501');
    await unchanged();
  });

  it('anon cannot pause a sequence', async () => {
    const { error } = await anonClient().rpc('pause_sequence', { p_instance_id: instanceId });
    expect(error?.code).toBe('42501');
    await unchanged();
  });

  it('a member of the organisation can complete the same task', async () => {
    await unchanged();
    const { data, error } = await member.client.rpc('complete_task', { p_task_id: activeTaskId });
    expect(error).toBeNull();
    expect((data as { next_task: { id: string } }).next_task.id).toBe(pendingTaskId);
  });
});

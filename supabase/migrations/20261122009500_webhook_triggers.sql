-- Webhook triggers (issue 14 §3; docs/automation/webhooks.md): what the workflow-webhook
-- function needs from the database, and the admins' secret rotation.
--
--   POST /functions/v1/workflow-webhook/<trigger id>
--     │ webhook_delivery_target(id) ──▶ null: 404 (unknown, not a webhook, disabled, workflow
--     │                                   archived or trashed: one answer, nothing revealed)
--     │ HMAC-SHA256 checked in the function (secret from the same call) ──▶ 401, nothing written
--     ▼
--   deliver_workflow_webhook(id, idempotency key, body)            one transaction
--     ├─ private.fire_workflow_trigger (…009400, the one home of firing) ─▶ job + firing,
--     │    or the first firing's answer, replayed (no token taken)
--     └─ then a token from the trigger's bucket; empty ─▶ 429 rate_limited, Retry-After,
--          and the firing and its job roll back
--
-- The rate limit is checked only after the signature, so strangers cannot spend a
-- trigger's budget.

-- A token bucket per webhook trigger, on the job-start limits' tables (…005200; the scopes
-- so far: …007700).
alter table private.rate_limit_policies
  drop constraint rate_limit_policies_scope,
  add constraint rate_limit_policies_scope
    check (scope in ('user', 'organisation', 'restaurant_import', 'webhook'));
alter table private.rate_limit_overrides
  drop constraint rate_limit_overrides_scope,
  add constraint rate_limit_overrides_scope
    check (scope in ('user', 'organisation', 'restaurant_import', 'webhook'));

-- A burst of 100 deliveries at once, then 50 a second (180,000 an hour) sustained: a CRM
-- replaying a backlog passes at that pace, a sender stuck in a loop is cut off before it
-- fills the queue. (Firings take no job-start token of run_as or the organisation:
-- fire_workflow_trigger leaves the limit to its callers, and this is the webhook's.)
-- More for one trigger: a row in private.rate_limit_overrides (scope 'webhook', its id).
insert into private.rate_limit_policies (scope, capacity, refill_per_second)
values ('webhook', 100, 50);

-- The trigger a delivery names, if it can fire: its organisation and secret, read by the
-- function (service role) in one call before anything else. Null alike for an unknown id,
-- another kind, a disabled trigger, and a workflow archived or in the trash.
create function public.webhook_delivery_target(p_trigger_id uuid) returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'trigger_id', t.id,
    'organisation_id', t.organisation_id,
    'workflow_id', t.workflow_id,
    'secret', s.secret)
  from public.workflow_triggers as t
  join private.workflow_trigger_secrets as s on s.trigger_id = t.id
  join public.workflows as w on w.organisation_id = t.organisation_id and w.id = t.workflow_id
  where t.id = p_trigger_id
    and t.kind = 'webhook'
    and t.enabled
    and w.status = 'active'
    and w.deleted_at is null;
$$;

comment on function public.webhook_delivery_target(uuid) is
  'Service role: a webhook trigger that can fire, with its secret, or null (404 for every other case).';

revoke execute on function public.webhook_delivery_target(uuid) from public, anon, authenticated;
grant execute on function public.webhook_delivery_target(uuid) to service_role;

-- One signed delivery (the function has checked the signature): the firing, then a token
-- from the trigger's bucket, or 429 and the firing and its job roll back. A replay (the
-- firing was there) spends no token: a sender retrying a delivery it is unsure of is not a
-- flood. The token comes last because its bucket row stays locked until commit, which
-- orders every delivery to the trigger: taken first, the lock was held across the whole
-- firing, and one trigger took 56 deliveries/s from 20 connections where the firing alone
-- took 169/s (called directly over Postgres, the shared 2-core machine at load ~21); taken
-- last, it is held for the commit only. A refused delivery does the firing's writes for
-- nothing, which costs less than that queue.
create function public.deliver_workflow_webhook(
  p_trigger_id uuid,
  p_idempotency_key text,
  p_body jsonb
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_fired jsonb;
  v_wait double precision;
  v_seconds integer;
begin
  if p_idempotency_key is null or char_length(p_idempotency_key) not between 1 and 200 then
    perform private.raise_http(400, 'invalid_input', 'Idempotency-Key must be 1 to 200 characters');
  end if;
  v_fired := private.fire_workflow_trigger(
    p_trigger_id,
    -- 'delivery:<key>'; a key too long for the firing's 200 characters with the prefix is
    -- replaced by its SHA-256, which names the same delivery as well.
    case
      when char_length(p_idempotency_key) <= 191 then 'delivery:' || p_idempotency_key
      else 'delivery:sha256:' || encode(extensions.digest(p_idempotency_key, 'sha256'), 'hex')
    end,
    jsonb_build_object('body', p_body),
    jsonb_build_object('idempotency_key', p_idempotency_key));
  if (v_fired ->> 'replayed')::boolean is not true then
    v_wait := private.take_rate_limit_token('webhook', p_trigger_id);
    if v_wait > 0 then
      v_seconds := greatest(1, ceil(v_wait)::integer);
      raise sqlstate 'PGRST' using
        message = json_build_object(
          'code', 'rate_limited',
          'message', format('Too many deliveries to this webhook: try again in %s s', v_seconds),
          'details', v_seconds::text,
          'hint', null)::text,
        detail = json_build_object(
          'status', 429,
          'headers', json_build_object('Retry-After', v_seconds::text))::text;
    end if;
  end if;
  return v_fired;
end;
$$;

comment on function public.deliver_workflow_webhook(uuid, text, jsonb) is
  'Service role: fires a webhook trigger for one signed delivery (once per Idempotency-Key), rate-limited per trigger.';

revoke execute on function public.deliver_workflow_webhook(uuid, text, jsonb) from public, anon, authenticated;
grant execute on function public.deliver_workflow_webhook(uuid, text, jsonb) to service_role;

-- A new secret for a webhook trigger, answered once; the old one stops working at once
-- (no overlap: a leaked secret is the usual reason to rotate). Owners and admins; 404 to
-- outsiders, 403 to members, 409 for a trigger that is not a webhook.
create function public.rotate_webhook_secret(p_trigger_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_trigger public.workflow_triggers;
  v_secret text := encode(extensions.gen_random_bytes(32), 'hex');
begin
  -- Locked so two rotations end with the secret the last one answered.
  select t.* into v_trigger from public.workflow_triggers as t
  where t.id = p_trigger_id and private.is_organisation_member(t.organisation_id, v_user_id)
  for update;
  if not found then
    perform private.raise_http(404, 'P0002', 'trigger not found');
  end if;
  if not private.is_organisation_member(v_trigger.organisation_id, v_user_id, array['owner', 'admin']) then
    perform private.raise_http(403, 'forbidden', 'only owners and admins can rotate a webhook secret');
  end if;
  if v_trigger.kind <> 'webhook' then
    perform private.raise_http(409, 'not_a_webhook', 'only a webhook trigger has a secret');
  end if;
  insert into private.workflow_trigger_secrets as s (trigger_id, secret, created_at)
  values (v_trigger.id, v_secret, now())
  on conflict (trigger_id) do update set secret = excluded.secret, created_at = excluded.created_at;
  return jsonb_build_object('trigger_id', v_trigger.id, 'secret', v_secret);
end;
$$;

comment on function public.rotate_webhook_secret(uuid) is
  'Owners and admins: replaces a webhook trigger''s secret and answers the new one once.';

revoke execute on function public.rotate_webhook_secret(uuid) from public, anon;
grant execute on function public.rotate_webhook_secret(uuid) to authenticated;

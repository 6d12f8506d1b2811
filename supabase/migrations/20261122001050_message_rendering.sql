-- Message rendering: fills {variable} and {variable|fallback} placeholders in task and
-- message templates (docs/sequences-contract.md, "Message rendering"). Implemented twice,
-- here and in packages/domain/src/message-template.ts; both pass
-- packages/domain/test-vectors/message-template.json.
--
-- A placeholder is "{", a variable name ([A-Za-z_][A-Za-z0-9_]*), optionally "|" and a
-- fallback without braces, then "}"; spaces around the name are allowed. Other text in
-- braces is left alone. Values and fallbacks are trimmed; a value that is null or blank
-- is empty. Unknown variable: left as written, warning "unknown". Known and empty: the
-- fallback if there is one (an empty fallback "{x|}" means "empty is fine"), otherwise ''
-- with warning "empty". Warnings are listed once per variable and problem, in order.

create function private.render_message_with(p_template text, p_context jsonb) returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  -- Groups: 1 the whole placeholder, 2 the name, 3 the fallback (null when no "|").
  v_pattern constant text := '(\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|([^{}]*))?\})';
  v_known constant text[] := array[
    'restaurant_name', 'contact_name', 'contact_first_name', 'contact_email', 'contact_phone',
    'city', 'cuisine', 'rep_name', 'rep_first_name', 'rep_email', 'organisation_name'
  ];
  v_pieces text[];
  v_match text[];
  v_index integer := 1;
  v_value text;
  v_warning jsonb;
  v_text text;
  v_warnings jsonb := '[]'::jsonb;
begin
  if p_template is null then
    return jsonb_build_object('text', null, 'warnings', '[]'::jsonb);
  end if;

  -- The text between placeholders; piece i precedes match i.
  v_pieces := regexp_split_to_array(p_template, v_pattern);
  v_text := v_pieces[1];

  for v_match in
    select m.groups from regexp_matches(p_template, v_pattern, 'g') with ordinality as m (groups, ord)
    order by m.ord
  loop
    v_index := v_index + 1;
    v_warning := null;
    if v_match[2] = any (v_known) then
      v_value := regexp_replace(coalesce(p_context ->> v_match[2], ''), '^\s+|\s+$', '', 'g');
      if v_value = '' then
        if v_match[3] is not null then
          v_value := regexp_replace(v_match[3], '^\s+|\s+$', '', 'g');
        else
          v_warning := jsonb_build_object('variable', v_match[2], 'problem', 'empty');
        end if;
      end if;
    else
      v_value := v_match[1];
      v_warning := jsonb_build_object('variable', v_match[2], 'problem', 'unknown');
    end if;
    if v_warning is not null and not v_warnings @> jsonb_build_array(v_warning) then
      v_warnings := v_warnings || jsonb_build_array(v_warning);
    end if;
    v_text := v_text || v_value || v_pieces[v_index];
  end loop;

  return jsonb_build_object('text', v_text, 'warnings', v_warnings);
end;
$$;

comment on function private.render_message_with(text, jsonb) is
  'Renders {variable|fallback} placeholders from a context object: {"text", "warnings": [{variable, problem: unknown|empty}]}.';


-- The placeholder values for a restaurant and the person the task is for: the assignee, or
-- the restaurant's rep when there is none. A person outside the restaurant's organisation
-- is ignored, so no caller can read another tenant's profile through a message. plpgsql so
-- its plan is cached; callers that render several texts for one restaurant and assignee
-- read it once (sequence_create_instance does, per instance).
create function private.render_context(p_restaurant_id uuid, p_assignee uuid) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return coalesce((
    select jsonb_build_object(
      'restaurant_name', r.name,
      'contact_name', r.contact_name,
      'contact_first_name', substring(r.contact_name from '^\s*(\S+)'),
      'contact_email', r.contact_email,
      'contact_phone', r.contact_phone,
      'city', r.city,
      'cuisine', r.cuisine,
      'rep_name', p.full_name,
      'rep_first_name', substring(p.full_name from '^\s*(\S+)'),
      'rep_email', p.email,
      'organisation_name', o.name
    )
    from public.restaurants as r
    join public.organisations as o on o.id = r.organisation_id
    left join public.organisation_members as m
      on m.organisation_id = r.organisation_id
     and m.user_id = coalesce(p_assignee, r.assigned_sales_rep)
    left join public.profiles as p on p.id = m.user_id
    where r.id = p_restaurant_id
  ), '{}'::jsonb);
end;
$$;

comment on function private.render_context(uuid, uuid) is
  'The placeholder values render_message uses for a restaurant and assignee (null: the restaurant''s rep).';


-- render_message_with, skipping the renderer for text that has no placeholder (no "{"):
-- such text renders to itself with no warnings.
create function private.render_with_context(p_template text, p_context jsonb) returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_template is not null and strpos(p_template, '{') = 0 then
    return jsonb_build_object('text', p_template, 'warnings', '[]'::jsonb);
  end if;
  return private.render_message_with(p_template, p_context);
end;
$$;

comment on function private.render_with_context(text, jsonb) is
  'render_message_with, with a fast path for text without placeholders.';


-- Renders a template for a restaurant and assignee (null: the restaurant's rep).
create function private.render_message(p_template text, p_restaurant_id uuid, p_assignee uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select private.render_with_context(p_template, private.render_context(p_restaurant_id, p_assignee));
$$;

comment on function private.render_message(text, uuid, uuid) is
  'Renders a template for a restaurant and assignee (null: the restaurant''s rep): {"text", "warnings"}.';


-- What a message would say for a restaurant, for the template editor's preview.
create function public.render_message_preview(p_template text, p_restaurant_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_organisation_id uuid;
begin
  select r.organisation_id into v_organisation_id
  from public.restaurants as r
  where r.id = p_restaurant_id;

  -- Not saying whether the restaurant exists to someone outside its organisation.
  if not private.is_organisation_member(v_organisation_id, private.require_user()) then
    raise exception 'only members of the restaurant''s organisation can preview messages for it'
      using errcode = '42501';
  end if;

  return private.render_message(p_template, p_restaurant_id, null);
end;
$$;

comment on function public.render_message_preview(text, uuid) is
  'Renders a template for one of the caller''s restaurants (its rep as the rep): {"text", "warnings"}; members only (42501).';


revoke execute on function private.render_message_with(text, jsonb) from public, anon, authenticated;
revoke execute on function private.render_message(text, uuid, uuid) from public, anon, authenticated;
revoke execute on function public.render_message_preview(text, uuid) from public, anon, service_role;
revoke execute on function private.render_context(uuid, uuid) from public, anon, authenticated;
revoke execute on function private.render_with_context(text, jsonb) from public, anon, authenticated;
grant execute on function private.render_message_with(text, jsonb) to service_role;
grant execute on function private.render_message(text, uuid, uuid) to service_role;
grant execute on function public.render_message_preview(text, uuid) to authenticated;

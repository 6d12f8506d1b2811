-- Every auth user gets a profile. The trigger runs as whichever role the auth server
-- connects with (supabase_auth_admin on Supabase), hence security definer.

create function private.tg__handle_new_user() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.profiles (id, email, full_name, avatar_url)
  values (
    new.id,
    coalesce(new.email, ''),
    left(coalesce(
      nullif(btrim(new.raw_user_meta_data ->> 'full_name'), ''),
      split_part(coalesce(new.email, ''), '@', 1)
    ), 200),
    nullif(btrim(new.raw_user_meta_data ->> 'avatar_url'), '')
  );
  return new;
end;
$$;

comment on function private.tg__handle_new_user() is
  'AFTER INSERT on auth.users: creates the profile; full_name from metadata, else the email''s local part.';

revoke execute on function private.tg__handle_new_user() from public, anon, authenticated;

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function private.tg__handle_new_user();


-- profiles.email mirrors auth.users.email, which only the auth server changes.
create function private.tg__sync_user_email() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.profiles as p
  set email = coalesce(new.email, '')
  where p.id = new.id;
  return new;
end;
$$;

comment on function private.tg__sync_user_email() is
  'AFTER UPDATE OF email on auth.users: copies the new email to the profile.';

revoke execute on function private.tg__sync_user_email() from public, anon, authenticated;

create trigger on_auth_user_email_changed
  after update of email on auth.users
  for each row
  when (old.email is distinct from new.email)
  execute function private.tg__sync_user_email();

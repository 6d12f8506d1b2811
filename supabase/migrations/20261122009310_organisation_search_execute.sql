-- Restaurant writes by API roles evaluate the GIN index expression of …008200
-- (private.organisation_search over organisation_id and search) as that role. That migration
-- meant both helpers to keep "the default EXECUTE for everyone", but …000100 revokes the
-- default from public for every new function, so only their owner could run them: every
-- member's insert of a restaurant, and every update that changes its search text (name, city,
-- contact, notes — crm-update-restaurant's appended note among them), failed with
-- "permission denied for function organisation_search".
--
-- They compute a tsvector from arguments the caller passes in and read no table, so running
-- them reveals nothing. Guarded, so this stands if …008200 later grants them itself or
-- replaces them.
do $$
begin
  if pg_catalog.to_regprocedure('private.organisation_search_tag(uuid)') is not null then
    grant execute on function private.organisation_search_tag(uuid) to authenticated, service_role;
  end if;
  if pg_catalog.to_regprocedure('private.organisation_search(uuid, tsvector)') is not null then
    grant execute on function private.organisation_search(uuid, tsvector) to authenticated, service_role;
  end if;
end;
$$;

-- Runs the workflow orchestrator every 5 seconds where pg_cron and pg_net exist (hosted
-- Supabase), reading the project URL and service role key from Vault (secrets named
-- `project_url` and `service_role_key`, created once per project: see README,
-- "Deploying"). The native stack has neither extension: this does nothing there and its
-- cron ticker plays the part. Each run loops until the queue is empty or its time budget
-- is spent, and start-workflow kicks it directly, so the interval bounds only how long a
-- retry waits past its next_retry_at.
do $$
begin
  if exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron')
     and exists (select 1 from pg_catalog.pg_extension where extname = 'pg_net')
     and exists (select 1 from pg_catalog.pg_namespace where nspname = 'vault') then
    perform cron.schedule('workflow-orchestrator', '5 seconds', $job$
      select net.http_post(
        url := (select s.decrypted_secret from vault.decrypted_secrets as s where s.name = 'project_url')
               || '/functions/v1/workflow-orchestrator',
        headers := jsonb_build_object(
          'Content-Type', 'application/json',
          'Authorization', 'Bearer ' || (select s.decrypted_secret from vault.decrypted_secrets as s
                                         where s.name = 'service_role_key')),
        body := '{"source":"cron"}'::jsonb,
        timeout_milliseconds := 60000
      );
    $job$);
  end if;
end;
$$;

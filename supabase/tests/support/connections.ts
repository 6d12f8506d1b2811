import type { Client } from './env.ts';

/**
 * Adds `hosts` to an organisation's connections (Settings → Connections) as the service role,
 * for tests whose workflows call the local HTTP target through execute-http-request: a call
 * from the orchestrator carries the job's organisation, and a host must be among its
 * connections as well as in HTTP_REQUEST_ALLOWED_HOSTS.
 */
export async function allowHosts(
  service: Client,
  organisationId: string,
  hosts: string[] = ['127.0.0.1'],
): Promise<void> {
  const { error } = await service.from('organisation_connections').upsert(
    hosts.map((host) => ({ organisation_id: organisationId, host })),
    { onConflict: 'organisation_id,host', ignoreDuplicates: true },
  );
  if (error) throw new Error(`allowHosts: ${error.message}`);
}

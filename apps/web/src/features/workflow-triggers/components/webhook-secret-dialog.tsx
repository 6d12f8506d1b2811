import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { signingExample } from '../utils/describe';
import { CopyButton } from './copy-button';

/**
 * A webhook's URL and its secret, shown once (after adding it or rotating the secret): the
 * server keeps no readable copy, so closing this is the last chance to copy it.
 */
export function WebhookSecretDialog({
  reveal,
  onClose,
}: {
  reveal: { name: string; url: string; secret: string; rotated: boolean } | null;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={reveal !== null}
      onOpenChange={(open) => (open ? undefined : onClose())}
      size="lg"
      title={
        reveal?.rotated ? `New secret for ${reveal.name}` : `${reveal?.name ?? 'Webhook'} is ready`
      }
      description="Copy the secret now: it is shown this once. Anyone with it can start the workflow."
    >
      {reveal ? (
        <div className="space-y-4 text-sm">
          <SecretLine label="URL" name="Webhook URL" value={reveal.url} />
          <SecretLine label="Secret" name="Webhook secret" value={reveal.secret} />
          <div className="space-y-1.5">
            <p className="font-medium text-slate-800">Sign a delivery</p>
            <p className="text-slate-600">
              Header{' '}
              <code>
                Forkflow-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret,
                &quot;t.body&quot;)&gt;
              </code>
              , within 5 minutes of now, and an <code>Idempotency-Key</code> (a retried delivery
              with the same key starts no second job). The answer is 202 with the job’s id.
            </p>
            <pre
              aria-label="Signing example"
              tabIndex={0}
              className="max-h-56 overflow-auto rounded-lg bg-slate-900 px-3 py-2 font-mono text-xs leading-5 text-slate-100"
            >
              {signingExample(reveal.url, reveal.secret)}
            </pre>
            <CopyButton text={signingExample(reveal.url, reveal.secret)} label="Copy example" />
          </div>
          <div className="flex justify-end">
            <Button onClick={onClose}>I’ve copied the secret</Button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}

function SecretLine({ label, name, value }: { label: string; name: string; value: string }) {
  return (
    <div className="space-y-1">
      <p className="font-medium text-slate-800">{label}</p>
      <div className="flex flex-wrap items-center gap-2">
        <code
          aria-label={name}
          className="min-w-0 flex-1 rounded-md bg-slate-100 px-2 py-1.5 font-mono text-xs break-all text-slate-900"
        >
          {value}
        </code>
        <CopyButton text={value} label={`Copy ${label.toLowerCase()}`} />
      </div>
    </div>
  );
}

import { zodResolver } from '@hookform/resolvers/zod';
import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { Button } from '@/components/ui/button';
import { Field, FormErrorSummary, Input, Select } from '@/components/ui/form-field';
import { getErrorMessage } from '@/lib/errors';
import type { OrganisationRole } from '@/lib/organisation';
import {
  inviteMemberInputSchema,
  useInviteMember,
  type InviteMemberInput,
} from '../api/invite-member';
import { assignableRoles, roleLabels } from './member-rules';

type Props = {
  organisationId: string;
  myRole: OrganisationRole;
  /** The full link for a token (the app's origin and the invitation route). */
  linkFor: (token: string) => string;
};

/**
 * Invites an email with a role and shows the link to send them: there is no mail server, and
 * the token is shown only this once (the database keeps its hash).
 */
export function InviteMemberForm({ organisationId, myRole, linkFor }: Props) {
  const [sent, setSent] = useState<{ email: string; link: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const form = useForm<z.input<typeof inviteMemberInputSchema>, unknown, InviteMemberInput>({
    resolver: zodResolver(inviteMemberInputSchema),
    defaultValues: { email: '', role: 'member' },
  });
  const invite = useInviteMember({
    organisationId,
    mutationConfig: {
      onSuccess: (invitation) => {
        setSent({ email: invitation.email, link: linkFor(invitation.token) });
        setCopied(false);
        form.reset();
      },
    },
  });
  const { errors } = form.formState;

  return (
    <div className="space-y-4">
      <form
        noValidate
        className="grid gap-4 sm:grid-cols-[1fr_10rem_auto] sm:items-start"
        onSubmit={form.handleSubmit((data) => invite.mutate({ organisationId, data }))}
      >
        <FormErrorSummary
          title="The invitation wasn't created"
          messages={invite.error ? [getErrorMessage(invite.error)] : []}
        />
        <Field label="Email" error={errors.email?.message} required className="sm:col-start-1">
          {(control) => (
            <Input
              {...control}
              {...form.register('email')}
              type="email"
              autoComplete="off"
              placeholder="colleague@example.com"
            />
          )}
        </Field>
        <Field label="Role" error={errors.role?.message}>
          {(control) => (
            <Select {...control} {...form.register('role')}>
              {assignableRoles(myRole).map((role) => (
                <option key={role} value={role}>
                  {roleLabels[role]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Button type="submit" isLoading={invite.isPending} className="sm:mt-7">
          Invite
        </Button>
      </form>
      {sent ? (
        <div
          role="status"
          className="space-y-2 rounded-lg bg-emerald-50 p-3 text-sm text-emerald-900 ring-1 ring-emerald-200 ring-inset"
        >
          <p>
            Invitation ready for <strong>{sent.email}</strong>. Send them this link: it works only
            when they sign in (or sign up) with that email, for 7 days, and is shown only now.
          </p>
          <div className="flex gap-2">
            <Input readOnly value={sent.link} aria-label="Invitation link" className="font-mono" />
            <Button
              variant="secondary"
              onClick={async () => {
                await navigator.clipboard.writeText(sent.link);
                setCopied(true);
              }}
            >
              {copied ? (
                <Check className="size-4" aria-hidden />
              ) : (
                <Copy className="size-4" aria-hidden />
              )}
              {copied ? 'Copied' : 'Copy link'}
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

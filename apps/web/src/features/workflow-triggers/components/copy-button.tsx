import { Check, Copy } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';

/** Copies `text`; says "Copied" for two seconds, or tells to copy by hand when refused. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'refused'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <Button
      variant="secondary"
      size="sm"
      onClick={() => {
        // The clipboard needs a secure origin (or localhost): elsewhere the text stays
        // selectable beside the button.
        if (!navigator.clipboard) {
          setState('refused');
          return;
        }
        navigator.clipboard.writeText(text).then(
          () => setState('copied'),
          () => setState('refused'),
        );
      }}
    >
      {state === 'copied' ? (
        <Check className="size-4 text-emerald-600" aria-hidden />
      ) : (
        <Copy className="size-4" aria-hidden />
      )}
      <span aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'refused' ? 'Select and copy it' : label}
      </span>
    </Button>
  );
}

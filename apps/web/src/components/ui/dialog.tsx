import { X } from 'lucide-react';
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { cn } from '@/lib/utils';

type DialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  size?: 'sm' | 'lg';
  /** alertdialog for confirmations: announced as such, no close button. */
  role?: 'dialog' | 'alertdialog';
  /** Children fill the panel below the header and manage their own padding and scrolling. */
  bare?: boolean;
};

/**
 * A modal built on the native <dialog>: the browser traps focus, makes the rest of
 * the page inert and closes on Escape. We add: focus back to the opener on close,
 * closing on a backdrop click, and a bottom sheet on small screens.
 * Content is only mounted while open, so a form inside starts fresh every time.
 */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  footer,
  size = 'sm',
  role = 'dialog',
  bare = false,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const pointerDownOnBackdrop = useRef(false);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  // Return focus to whatever opened the dialog (it may have been unmounted since).
  useEffect(() => {
    if (open) return;
    const target = opener.current;
    opener.current = null;
    if (target instanceof HTMLElement && target.isConnected) target.focus();
  }, [open]);

  return (
    <dialog
      ref={ref}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      aria-modal="true"
      onCancel={(event) => {
        // Escape: let React state drive closing so `open` stays the source of truth.
        event.preventDefault();
        onOpenChange(false);
      }}
      onClose={() => {
        if (open) onOpenChange(false);
      }}
      onPointerDown={(event) => {
        pointerDownOnBackdrop.current = event.target === ref.current;
      }}
      onClick={(event) => {
        // Only a press that starts and ends on the backdrop closes (not a text selection drag).
        if (event.target === ref.current && pointerDownOnBackdrop.current) onOpenChange(false);
        pointerDownOnBackdrop.current = false;
      }}
      className={cn(
        'dialog-panel fixed m-auto flex-col overflow-hidden rounded-xl bg-white p-0 text-slate-900 shadow-2xl ring-1 ring-slate-900/10 open:flex',
        'backdrop:bg-slate-900/40 backdrop:backdrop-blur-[2px]',
        'max-h-[min(90dvh,56rem)] w-[calc(100%-2rem)]',
        size === 'lg' ? 'max-w-2xl' : 'max-w-md',
        // Phone: a sheet anchored to the bottom edge, full width.
        'max-sm:mb-0 max-sm:max-h-[94dvh] max-sm:w-full max-sm:max-w-none max-sm:rounded-b-none',
      )}
    >
      {open ? (
        <>
          <header
            className={cn(
              'flex items-start justify-between gap-4 px-5 py-4 sm:px-6',
              children ? 'border-b border-slate-200' : '',
            )}
          >
            <div className="min-w-0">
              <h2 id={titleId} className="text-base font-semibold text-slate-900">
                {title}
              </h2>
              {description ? (
                <div id={descriptionId} className="mt-1 text-sm text-slate-600">
                  {description}
                </div>
              ) : null}
            </div>
            {role === 'dialog' ? (
              <button
                type="button"
                onClick={() => onOpenChange(false)}
                className="-m-1.5 rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-brand-600"
                aria-label="Close"
              >
                <X className="size-5" aria-hidden />
              </button>
            ) : null}
          </header>
          {children && bare ? children : null}
          {children && !bare ? (
            <div className="min-h-0 flex-1 overflow-y-auto px-5 py-5 sm:px-6">{children}</div>
          ) : null}
          {footer ? (
            <footer className="flex flex-col-reverse gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3 sm:flex-row sm:justify-end sm:px-6">
              {footer}
            </footer>
          ) : null}
        </>
      ) : null}
    </dialog>
  );
}

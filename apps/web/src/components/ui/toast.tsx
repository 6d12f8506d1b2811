import { CheckCircle2, Info, X, XCircle } from 'lucide-react';
import {
  createContext,
  use,
  useCallback,
  useEffect,
  useEffectEvent,
  useMemo,
  useRef,
  useState,
  type FocusEvent,
  type ReactNode,
} from 'react';
import { cn } from '@/lib/utils';

type Tone = 'success' | 'error' | 'info';

export type ToastOptions = {
  title: string;
  description?: string;
  tone?: Tone;
  /** ms before it disappears; 0 keeps it until dismissed. */
  duration?: number;
  action?: { label: string; onClick: () => void };
  /** Called when the toast goes away without its action being used. */
  onExpire?: () => void;
};

type Toast = ToastOptions & { id: number };

type ToastApi = { toast: (options: ToastOptions) => number; dismiss: (id: number) => void };

const ToastContext = createContext<ToastApi | null>(null);

/** Action bars pinned to the bottom of the screen say how tall they are (by a key of theirs). */
type Reserve = (key: symbol, height: number | null) => void;
const ToastClearanceContext = createContext<Reserve | null>(null);

/** Room between a toast and the top of an action bar under it. */
const CLEARANCE_GAP_PX = 8;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const live = useRef<Toast[]>([]);
  const nextId = useRef(1);

  const commit = useCallback((next: Toast[]) => {
    live.current = next;
    setToasts(next);
  }, []);

  // Side effects (onExpire) run here, never inside a state updater.
  const remove = useCallback(
    (id: number, reason: 'expired' | 'action') => {
      const toast = live.current.find((item) => item.id === id);
      if (!toast) return;
      commit(live.current.filter((item) => item.id !== id));
      if (reason === 'expired') toast.onExpire?.();
    },
    [commit],
  );

  const dismiss = useCallback((id: number) => remove(id, 'expired'), [remove]);

  const toast = useCallback(
    (options: ToastOptions) => {
      const id = nextId.current++;
      const overflow = live.current.slice(0, Math.max(0, live.current.length - 3));
      commit([...live.current.slice(-3), { ...options, id }]);
      for (const old of overflow) old.onExpire?.();
      return id;
    },
    [commit],
  );

  const api = useMemo(() => ({ toast, dismiss }), [toast, dismiss]);

  // Toasts sit bottom-right (bottom on phones), where they are noticed after an action and
  // where page headers keep no buttons; a sticky action bar (bulk actions) also lives there,
  // so the stack rises above the tallest bar on screen instead of covering its buttons.
  const [bars, setBars] = useState<ReadonlyMap<symbol, number>>(() => new Map());
  const reserve = useCallback<Reserve>((key, height) => {
    setBars((current) => {
      if (height === null ? !current.has(key) : current.get(key) === height) return current;
      const next = new Map(current);
      if (height === null) next.delete(key);
      else next.set(key, height);
      return next;
    });
  }, []);
  const clearance = Math.max(0, ...bars.values());

  return (
    <ToastContext value={api}>
      <ToastClearanceContext value={reserve}>{children}</ToastClearanceContext>
      <section
        aria-label="Notifications"
        style={clearance > 0 ? { bottom: clearance + CLEARANCE_GAP_PX } : undefined}
        className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4 sm:items-end sm:p-6"
      >
        {toasts.map((item) => (
          <ToastItem
            key={item.id}
            toast={item}
            onDismiss={() => remove(item.id, 'expired')}
            onAction={() => remove(item.id, 'action')}
          />
        ))}
      </section>
    </ToastContext>
  );
}

const icons: Record<Tone, ReactNode> = {
  success: <CheckCircle2 className="size-5 text-emerald-500" aria-hidden />,
  error: <XCircle className="size-5 text-red-500" aria-hidden />,
  info: <Info className="size-5 text-brand-500" aria-hidden />,
};

/** Left on the clock when a paused toast resumes with (almost) none: time to move away. */
const MIN_AFTER_PAUSE_MS = 2000;

/** Whether the pointer or focus is on the toast, or the page is in a background tab. */
function usePausedWhileAttended() {
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const [hidden, setHidden] = useState(() => document.visibilityState === 'hidden');

  useEffect(() => {
    const onChange = () => setHidden(document.visibilityState === 'hidden');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);

  return {
    active: hovered || focused || hidden,
    handlers: {
      onPointerEnter: () => setHovered(true),
      onPointerLeave: () => setHovered(false),
      onFocus: () => setFocused(true),
      onBlur: (event: FocusEvent<HTMLDivElement>) => {
        if (!event.currentTarget.contains(event.relatedTarget)) setFocused(false);
      },
    },
  };
}

function ToastItem({
  toast,
  onDismiss,
  onAction,
}: {
  toast: Toast;
  onDismiss: () => void;
  onAction: () => void;
}) {
  const { duration = 5000 } = toast;
  const expire = useEffectEvent(() => onDismiss());
  const paused = usePausedWhileAttended();
  const remaining = useRef(duration);

  // The clock stops while the person is reading or reaching for the toast (pointer on it,
  // focus in it) or looking at another tab, so an "Undo" never runs out unseen.
  useEffect(() => {
    if (duration === 0 || paused.active) return;
    const started = Date.now();
    const resumed = remaining.current < duration;
    const wait = resumed ? Math.max(remaining.current, MIN_AFTER_PAUSE_MS) : duration;
    const timer = setTimeout(expire, wait);
    return () => {
      clearTimeout(timer);
      remaining.current -= Date.now() - started;
    };
  }, [duration, paused.active]);

  return (
    <div
      {...paused.handlers}
      role={toast.tone === 'error' ? 'alert' : 'status'}
      className={cn(
        'toast-enter pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-xl bg-white p-4 shadow-lg ring-1 ring-slate-900/10',
      )}
    >
      {icons[toast.tone ?? 'success']}
      <div className="min-w-0 flex-1">
        <p className="text-sm font-medium text-slate-900">{toast.title}</p>
        {toast.description ? (
          <p className="mt-0.5 text-sm text-slate-600">{toast.description}</p>
        ) : null}
      </div>
      {toast.action ? (
        <button
          type="button"
          className="shrink-0 rounded-md px-2 py-1 text-sm font-semibold text-brand-700 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-brand-600"
          onClick={() => {
            onAction();
            toast.action?.onClick();
          }}
        >
          {toast.action.label}
        </button>
      ) : null}
      <button
        type="button"
        onClick={onDismiss}
        className="-m-1 shrink-0 rounded-md p-1 text-slate-400 hover:text-slate-600 focus-visible:outline-2 focus-visible:outline-brand-600"
        aria-label="Dismiss notification"
      >
        <X className="size-4" aria-hidden />
      </button>
    </div>
  );
}

export function useToast(): ToastApi {
  const api = use(ToastContext);
  if (!api) throw new Error('useToast must be used inside <ToastProvider>');
  return api;
}

/**
 * A callback ref for an action bar at the bottom of the screen: while it is mounted, toasts
 * appear above it, never over its buttons. The room kept is from the bar's top to the
 * bottom of the screen, so it also holds where a sticky bar comes to rest above the page's
 * bottom padding; measured again as the bar resizes and the page scrolls or resizes.
 */
export function useToastClearance(): (element: HTMLElement | null) => (() => void) | undefined {
  const reserve = use(ToastClearanceContext);
  return useCallback(
    (element: HTMLElement | null) => {
      if (!element || !reserve) return undefined;
      const key = Symbol('action bar');
      let frame = 0;
      const measure = () => {
        frame = 0;
        const { top, bottom } = element.getBoundingClientRect();
        const onScreen = top < window.innerHeight && bottom > 0;
        reserve(key, onScreen ? Math.ceil(window.innerHeight - top) : 0);
      };
      // Scrolling fires per frame at most once here: the measure reads layout.
      const schedule = () => {
        if (!frame) frame = requestAnimationFrame(measure);
      };
      measure();
      const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(schedule);
      observer?.observe(element);
      window.addEventListener('scroll', schedule, { passive: true });
      window.addEventListener('resize', schedule);
      return () => {
        if (frame) cancelAnimationFrame(frame);
        observer?.disconnect();
        window.removeEventListener('scroll', schedule);
        window.removeEventListener('resize', schedule);
        reserve(key, null);
      };
    },
    [reserve],
  );
}

import { Check } from 'lucide-react';
import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { cn } from '@/lib/utils';

export type MenuItem =
  | {
      type?: 'item';
      key: string;
      label: ReactNode;
      description?: ReactNode;
      icon?: ReactNode;
      onSelect: () => void;
      /** Present for radio items (e.g. the current organisation). */
      checked?: boolean;
    }
  | { type: 'separator'; key: string }
  | { type: 'label'; key: string; label: string };

type MenuProps = {
  /** Accessible name of the trigger button. */
  label: string;
  trigger: ReactNode;
  triggerClassName?: string;
  items: MenuItem[];
  align?: 'start' | 'end';
  side?: 'bottom' | 'top';
  menuClassName?: string;
};

/**
 * A menu button (WAI-ARIA menu pattern): Enter/Space/ArrowDown open it and focus the
 * first item, arrows/Home/End move, Escape or Tab closes and returns focus.
 */
export function Menu({
  label,
  trigger,
  triggerClassName,
  items,
  align = 'start',
  side = 'bottom',
  menuClassName,
}: MenuProps) {
  const [open, setOpen] = useState(false);
  const [focusIndex, setFocusIndex] = useState(0);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const actionable = items.filter((item) => item.type !== 'separator' && item.type !== 'label');

  const close = useCallback((returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  }, []);

  const openAt = (index: number) => {
    setFocusIndex(index);
    setOpen(true);
  };

  useEffect(() => {
    if (!open) return;
    const items = menuRef.current?.querySelectorAll<HTMLElement>('[data-menu-item]');
    items?.[focusIndex]?.focus();
  }, [open, focusIndex]);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) close(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open, close]);

  const onMenuKeyDown = (event: KeyboardEvent) => {
    const last = actionable.length - 1;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        setFocusIndex((index) => (index >= last ? 0 : index + 1));
        break;
      case 'ArrowUp':
        event.preventDefault();
        setFocusIndex((index) => (index <= 0 ? last : index - 1));
        break;
      case 'Home':
        event.preventDefault();
        setFocusIndex(0);
        break;
      case 'End':
        event.preventDefault();
        setFocusIndex(last);
        break;
      case 'Escape':
        event.preventDefault();
        close(true);
        break;
      case 'Tab':
        close(false);
        break;
    }
  };

  // Position of each actionable item among the actionable ones (for roving focus).
  const actionIndexes = new Map<string, number>();
  for (const item of items) {
    if (item.type !== 'separator' && item.type !== 'label')
      actionIndexes.set(item.key, actionIndexes.size);
  }

  return (
    <div className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        className={triggerClassName}
        onClick={() => (open ? close(false) : openAt(0))}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            openAt(0);
          } else if (event.key === 'ArrowUp') {
            event.preventDefault();
            openAt(actionable.length - 1);
          }
        }}
      >
        {trigger}
      </button>
      {open ? (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label={label}
          onKeyDown={onMenuKeyDown}
          className={cn(
            'menu-enter absolute z-40 min-w-56 rounded-xl bg-white p-1 shadow-lg ring-1 ring-slate-900/10',
            align === 'end' ? 'right-0' : 'left-0',
            side === 'top' ? 'bottom-full mb-2' : 'top-full mt-2',
            menuClassName,
          )}
        >
          {items.map((item) => {
            if (item.type === 'separator') {
              return <div key={item.key} role="separator" className="my-1 h-px bg-slate-200" />;
            }
            if (item.type === 'label') {
              return (
                <div
                  key={item.key}
                  className="px-2.5 pt-2 pb-1 text-xs font-medium text-slate-500"
                  aria-hidden
                >
                  {item.label}
                </div>
              );
            }
            const index = actionIndexes.get(item.key) ?? 0;
            const isRadio = item.checked !== undefined;
            return (
              <button
                key={item.key}
                type="button"
                data-menu-item
                role={isRadio ? 'menuitemradio' : 'menuitem'}
                aria-checked={isRadio ? item.checked : undefined}
                tabIndex={index === focusIndex ? 0 : -1}
                onMouseEnter={() => setFocusIndex(index)}
                onClick={() => {
                  close(true);
                  item.onSelect();
                }}
                className="flex w-full items-center gap-2.5 rounded-lg px-2.5 py-2 text-left text-sm text-slate-700 outline-none hover:bg-slate-100 focus:bg-slate-100"
              >
                {item.icon ? <span className="text-slate-500">{item.icon}</span> : null}
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-medium text-slate-900">{item.label}</span>
                  {item.description ? (
                    <span className="block truncate text-xs text-slate-500">
                      {item.description}
                    </span>
                  ) : null}
                </span>
                {isRadio && item.checked ? (
                  <Check className="size-4 text-brand-600" aria-hidden />
                ) : null}
              </button>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}

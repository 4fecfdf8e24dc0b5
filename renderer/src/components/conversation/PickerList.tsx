// The inline list the composer's `/` (canned responses) and `@` (mentions) pickers show above
// the text box. Focus stays in the text box (combobox pattern): arrows move the active option,
// Enter or Tab picks it, Escape closes; a click picks too.
import { useEffect, useRef, type ReactNode } from 'react';
import clsx from 'clsx';

export interface PickerOption {
  id: string;
  label: ReactNode;
  detail?: ReactNode;
  aside?: ReactNode;
}

export function PickerList({ id, label, options, active, empty, onPick, onHover }: {
  id: string;
  label: string;
  options: PickerOption[];
  active: number;
  empty: ReactNode;
  onPick: (index: number) => void;
  onHover: (index: number) => void;
}) {
  const listRef = useRef<HTMLUListElement>(null);
  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);
  return (
    <div className="picker-pop" role="presentation">
      <div className="picker-head xs muted">{label}</div>
      {options.length === 0 ? (
        <div className="picker-empty small muted">{empty}</div>
      ) : (
        <ul ref={listRef} id={id} role="listbox" aria-label={label} className="picker-list">
          {options.map((o, i) => (
            <li
              key={o.id}
              id={`${id}-${i}`}
              data-index={i}
              role="option"
              aria-selected={i === active}
              className={clsx('picker-option', i === active && 'active')}
              onMouseDown={(e) => e.preventDefault()} // keep the caret in the text box
              onMouseEnter={() => onHover(i)}
              onClick={() => onPick(i)}
            >
              <div className="grow picker-text">
                <div className="ellipsis picker-label">{o.label}</div>
                {o.detail && <div className="ellipsis xs muted">{o.detail}</div>}
              </div>
              {o.aside && <span className="xs faint picker-aside">{o.aside}</span>}
            </li>
          ))}
        </ul>
      )}
      <div className="picker-foot xs faint">↑↓ to choose · Enter to insert · Esc to close</div>
    </div>
  );
}

/** Arrow/Enter/Tab/Escape for an open picker; true when the key was the picker's. */
export function pickerKey(
  e: { key: string; shiftKey: boolean; preventDefault(): void },
  n: number,
  active: number,
  set: (i: number) => void,
  pick: (i: number) => void,
  close: () => void,
  /** Enter with nothing to pick is swallowed (a `/word` never goes out by accident) */
  swallowEmptyEnter = false,
): boolean {
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    if (n) set((active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    return true;
  }
  if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
    if (!n) {
      if (e.key === 'Enter' && swallowEmptyEnter) e.preventDefault();
      return e.key === 'Enter' && swallowEmptyEnter;
    }
    e.preventDefault();
    pick(active);
    return true;
  }
  if (e.key === 'Escape') {
    e.preventDefault();
    close();
    return true;
  }
  return false;
}

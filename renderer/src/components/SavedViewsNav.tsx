// The user's saved views in the sidebar, each with its unread count (or, when all are read, how
// many conversations it holds, muted).
import clsx from 'clsx';
import { Bookmark } from 'lucide-react';
import { useBridgeQuery } from '../lib/queries';
import { useFilters } from '../state/filters';
import { useUi } from '../state/ui';

export function SavedViewsNav() {
  const views = useBridgeQuery('savedViews', {}).data ?? [];
  const activeId = useFilters((s) => s.savedViewId);
  const inInbox = useUi((s) => s.view.kind === 'inbox');
  if (views.length === 0) return null;
  return (
    <>
      <div className="nav-head" id="saved-views-head">
        Views
      </div>
      <div role="group" className="nav-views" aria-labelledby="saved-views-head">
        {views.map(({ view, total, unread }) => {
          const active = inInbox && activeId === view.id;
          return (
            <button
              key={view.id}
              type="button"
              className={clsx('nav-item', active && 'active')}
              aria-current={active ? 'page' : undefined}
              onClick={() => useFilters.getState().openSaved(view)}
              title={`${view.name}: ${total} conversation${total === 1 ? '' : 's'}`}
            >
              <Bookmark size={16} aria-hidden="true" />
              <span className="grow ellipsis">{view.name}</span>
              {unread > 0 ? (
                <span className="nav-count">
                  {unread}
                  <span className="sr-only"> unread</span>
                </span>
              ) : total > 0 ? (
                <span className="nav-total xs faint">
                  {total}
                  <span className="sr-only"> {total === 1 ? 'conversation' : 'conversations'}</span>
                </span>
              ) : null}
            </button>
          );
        })}
      </div>
    </>
  );
}

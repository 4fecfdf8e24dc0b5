// Contacts: searchable virtualized list, edit form, import/export.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useInfiniteQuery, keepPreviousData } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import clsx from 'clsx';
import { Plus, Search, Upload, Download, Users } from 'lucide-react';
import type { Session } from '../../../shared/bridge';
import { canAdminContacts, sessionViewer } from '../../../shared/permissions';
import { formatPhone } from '../../../shared/phone';
import { getBridge } from '../../bridge';
import { useShallow } from 'zustand/react/shallow';
import { useUi } from '../state/ui';
import { Avatar } from '../components/Avatar';
import { ContactDetail } from '../components/contacts/ContactDetail';
import { ContactForm } from '../components/contacts/ContactForm';
import { ImportDialog, exportCsv } from '../components/contacts/ImportExport';
import { plural } from '../lib/format';
import { useBridgeQuery } from '../lib/queries';

const ROW = 56;
const ADMIN_ONLY_IMPORT = 'Only admins can import contacts from CSV';

export function ContactsView({ session }: { session: Session }) {
  const [search, setSearch] = useState('');
  const [tag, setTag] = useState('');
  const tags = useBridgeQuery('tags', {}).data ?? [];
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const { selectedId, cursorId, select, setListIds } = useUi(useShallow((s) => ({ selectedId: s.selectedId, cursorId: s.cursorId, select: s.select, setListIds: s.setListIds })));
  const admin = canAdminContacts(sessionViewer(session));
  const args = { search: search.trim() || undefined, tag: tag || undefined, limit: 200 };
  const q = useInfiniteQuery({
    queryKey: ['contacts', args],
    queryFn: ({ pageParam }) => getBridge().query('contacts', { ...args, offset: pageParam }),
    initialPageParam: 0,
    getNextPageParam: (last) => (last.offset + last.items.length < last.total ? last.offset + last.items.length : undefined),
    placeholderData: keepPreviousData,
  });
  const items = useMemo(() => q.data?.pages.flatMap((p) => p.items) ?? [], [q.data]);
  const total = q.data?.pages[0]?.total ?? 0;
  const ref = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is meant to be used this way
  const virt = useVirtualizer({ count: items.length, getScrollElement: () => ref.current, estimateSize: () => ROW, overscan: 10 });
  const vItems = virt.getVirtualItems();
  const lastIndex = vItems[vItems.length - 1]?.index ?? -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = q;
  useEffect(() => {
    if (lastIndex >= items.length - 20 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [lastIndex, items.length, hasNextPage, isFetchingNextPage, fetchNextPage]);
  useEffect(() => setListIds(items.map((c) => c.id)), [items, setListIds]);
  const cursorIndex = cursorId ? items.findIndex((c) => c.id === cursorId) : -1;
  useEffect(() => {
    if (cursorIndex >= 0) virt.scrollToIndex(cursorIndex, { align: 'auto' });
  }, [cursorIndex, virt]);

  return (
    <>
      <section className="list-pane" aria-label="Contacts">
        <header className="pane-head">
          <div className="grow">
            <h1>Contacts</h1>
            <div className="xs faint">{plural(total, 'contact')}</div>
          </div>
          <button type="button" className="icon-btn" aria-label="Export contacts as CSV" title="Export CSV" onClick={() => void exportCsv()}>
            <Download size={16} />
          </button>
          <button
            type="button"
            className="icon-btn"
            aria-label="Import contacts from CSV"
            title={admin ? 'Import CSV' : ADMIN_ONLY_IMPORT}
            aria-describedby={admin ? undefined : 'import-why'}
            disabled={!admin}
            onClick={() => setImporting(true)}
          >
            <Upload size={16} />
          </button>
          {!admin && (
            <span id="import-why" className="sr-only">
              {ADMIN_ONLY_IMPORT}
            </span>
          )}
          <button type="button" className="btn sm primary" onClick={() => { setCreating(true); select(null); }}>
            <Plus size={14} aria-hidden="true" /> New
          </button>
        </header>
        <div className="list-search">
          <Search size={14} aria-hidden="true" />
          <input className="input" type="search" placeholder="Search name, phone, email, tag" aria-label="Search contacts" value={search} onChange={(e) => setSearch(e.target.value)} />
          {tags.length > 0 && (
            <select className="select tag-filter" aria-label="Filter by tag" value={tag} onChange={(e) => setTag(e.target.value)}>
              <option value="">All tags</option>
              {tags.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          )}
        </div>
        {items.length === 0 && !q.isPending ? (
          <div className="empty">
            <Users size={28} aria-hidden="true" />
            <h2>{search ? 'No contacts match' : 'No contacts yet'}</h2>
            <p className="small">{search ? 'Try another name or number.' : admin ? 'Add one with New, or import a CSV file.' : 'Add one with New; they also appear when customers write in.'}</p>
          </div>
        ) : (
          <div ref={ref} className="list-scroll" role="listbox" aria-label="Contacts" tabIndex={0}>
            <div role="presentation" style={{ height: virt.getTotalSize(), position: 'relative' }}>
              {vItems.map((v) => {
                const c = items[v.index];
                if (!c) return null;
                return (
                  <div key={c.id} role="presentation" className="virt-row" style={{ transform: `translateY(${v.start}px)`, height: ROW }}>
                    <div role="option" aria-selected={c.id === selectedId} className={clsx('contact-row', c.id === selectedId && 'selected', c.id === cursorId && 'cursor')} onClick={() => { setCreating(false); select(c.id); }}>
                      <Avatar id={c.id} name={c.name} size="md" />
                      <div className="grow">
                        <div className="ellipsis strong">{c.name}</div>
                        <div className="xs faint ellipsis">
                          {formatPhone(c.phone)}
                          {c.tags.length ? ` · ${c.tags.join(', ')}` : ''}
                          {c.optedOut ? ' · opted out' : ''}
                        </div>
                      </div>
                    </div>
                  </div>
                );
              })}
            </div>
          </div>
        )}
      </section>
      <section className="conv-pane contact-pane">
        {creating ? (
          <ContactForm onDone={(id) => { setCreating(false); if (id) select(id); }} />
        ) : selectedId ? (
          <ContactDetail id={selectedId} admin={admin} />
        ) : (
          <div className="empty">
            <h2>Pick a contact</h2>
            <p className="small">See their details and conversations, and edit them{admin ? '; merge or set defaults' : ''}.</p>
          </div>
        )}
      </section>
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
    </>
  );
}

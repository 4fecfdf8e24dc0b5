// Internal note: full width, pale yellow, with its author. Never sent to the contact.
import clsx from 'clsx';
import { Clock, StickyNote, Trash2 } from 'lucide-react';
import type { Pending } from '../../../../shared/bridge';
import { canDeleteNote, sessionViewer } from '../../../../shared/permissions';
import type { Note } from '../../../../shared/schema';
import { clockTime, exactTime } from '../../lib/format';
import { useDirectory, useSession } from '../../lib/directory';
import { mutate } from '../../lib/mutate';
import { MentionText } from './MentionText';

export function NoteItem({ note }: { note: Pending<Note> }) {
  const dir = useDirectory();
  const session = useSession();
  const canDelete = !!session && canDeleteNote(sessionViewer(session), note);
  return (
    <div className={clsx('note', note.pending && 'pending')} role="note" aria-label={`Internal note by ${dir.userName(note.authorId)}`}>
      <div className="row xs note-head">
        <StickyNote size={12} aria-hidden="true" />
        <strong>{dir.userName(note.authorId)}</strong>
        <span className="muted">internal note</span>
        <span className="grow" />
        {note.pending && <Clock size={12} aria-label="Waiting to sync" />}
        <time title={exactTime(note.createdAt)}>{clockTime(note.createdAt)}</time>
        {canDelete && (
          <button type="button" className="icon-btn note-del" aria-label="Delete note" title="Delete note" onClick={() => void mutate('deleteNote', { id: note.id })}>
            <Trash2 size={13} />
          </button>
        )}
      </div>
      <div className="note-body">
        <MentionText text={note.body} />
      </div>
    </div>
  );
}

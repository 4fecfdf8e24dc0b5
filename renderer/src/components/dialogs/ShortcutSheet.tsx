import { useUi } from '../../state/ui';
import { Modal } from './Modal';

export const shortcuts: [string, string][] = [
  ['J / K', 'Next / previous conversation'],
  ['Enter', 'Open the conversation'],
  ['R', 'Reply'],
  ['N', 'Write a note'],
  ['A', 'Assign (Manage conversation)'],
  ['E', 'Archive'],
  ['U', 'Mark unread'],
  ['Ctrl/⌘ K', 'Search and commands'],
  ['?', 'This list'],
  ['Esc', 'Back / close'],
  ['Enter', 'Send (in the message box)'],
  ['Shift Enter', 'New line (in the message box)'],
  ['/', 'Insert a canned response (in the message box)'],
  ['@', 'Mention someone who can see the conversation (in a note)'],
  ['Tab', 'Next variable to fill after a canned response'],
];

export function ShortcutSheet() {
  const close = useUi((s) => s.closeDialog);
  return (
    <Modal title="Keyboard shortcuts" onClose={close}>
      <dl className="shortcuts">
        {shortcuts.map(([k, v]) => (
          <div key={k + v} className="shortcut">
            <dt>
              {k.split(' ').map((p) => (
                <kbd key={p}>{p}</kbd>
              ))}
            </dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </Modal>
  );
}

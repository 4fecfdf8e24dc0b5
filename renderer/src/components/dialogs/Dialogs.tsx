import { useUi } from '../../state/ui';
import { ManageDialog } from './ManageDialog';
import { ConfirmArchive, ConfirmDelete } from './ConfirmDialogs';
import { InvoiceDialog } from './InvoiceDialog';
import { CheckoutDialog } from './CheckoutDialog';
import { CommandPalette } from './CommandPalette';
import { ShortcutSheet } from './ShortcutSheet';
import { NewChatDialog } from './NewChatDialog';
import { DiscussDialog } from './DiscussDialog';
import { ChatMembersDialog } from '../chat/ChatMembersDialog';

export function Dialogs() {
  const d = useUi((s) => s.dialog);
  if (!d) return null;
  switch (d.kind) {
    case 'manage':
      return <ManageDialog key={d.notice ?? ''} conversationId={d.conversationId} notice={d.notice} />;
    case 'confirm-archive':
      return <ConfirmArchive conversationId={d.conversationId} />;
    case 'confirm-delete':
      return <ConfirmDelete conversationId={d.conversationId} />;
    case 'invoice':
      return <InvoiceDialog conversationId={d.conversationId} />;
    case 'checkout':
      return <CheckoutDialog conversationId={d.conversationId} />;
    case 'palette':
      return <CommandPalette />;
    case 'shortcuts':
      return <ShortcutSheet />;
    case 'new-chat':
      return <NewChatDialog />;
    case 'chat-members':
      return <ChatMembersDialog chatId={d.chatId} />;
    case 'discuss':
      return <DiscussDialog conversationId={d.conversationId} />;
  }
}

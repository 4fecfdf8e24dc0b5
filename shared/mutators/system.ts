// The mutations only the relay runs (providers, webhooks, the broadcast sender).
// They live beside their areas; this file gathers them so the relay can list them.
import { adminSystemMutators } from './admin';
import { autoAssignMutators } from './autoAssign';
import { broadcastMutators } from './broadcast';
import { invoiceMutators } from './invoices';
import { messageMutators } from './messages';

export const systemMutators = {
  receiveInbound: messageMutators.receiveInbound,
  updateDeliveryStatus: messageMutators.updateDeliveryStatus,
  setPaymentStatus: invoiceMutators.setPaymentStatus,
  setPaymentLink: invoiceMutators.setPaymentLink,
  setChannelProvider: adminSystemMutators.setChannelProvider,
  importTemplates: adminSystemMutators.importTemplates,
  recordBroadcastResult: broadcastMutators.recordBroadcastResult,
  autoAssign: autoAssignMutators.autoAssign,
};

import './lib/zodConfig';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { queryClient, handleBridgeEvent } from './lib/queries';
import { getBridge } from '../bridge';
import { App } from './App';
import './styles/theme.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/list.css';
import './styles/conversation.css';
import './styles/dialogs.css';
import './styles/views.css';

getBridge().subscribe(handleBridgeEvent);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
}

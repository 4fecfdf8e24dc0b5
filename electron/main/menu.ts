// Application menu: the standard roles (so copy/paste and zoom shortcuts work) plus
// Parley's own entries. The renderer handles its single-key shortcuts itself.
import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron';

export function installMenu(opts: { docsUrl: string }): void {
  const mac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      // No accelerators for Ctrl+K, J, K…: a menu accelerator would swallow the renderer's shortcuts.
      submenu: [mac ? { role: 'close' } : { role: 'quit' }],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'Parley help', click: () => void shell.openExternal(opts.docsUrl) }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

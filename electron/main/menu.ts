// Application menu: the standard roles (so copy/paste and zoom shortcuts work) plus
// Parley's own entries. The renderer handles its single-key shortcuts itself.
import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  docsUrl: string;
  exportDiagnostics: () => void;
  openLogFolder: () => void;
  checkForUpdates: () => void;
  /** set once an update is downloaded: "Restart to Update" */
  restartToUpdate?: { version: string; run: () => void };
}

export function menuTemplate(a: MenuActions, platform: NodeJS.Platform = process.platform, packaged = app.isPackaged): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const update: MenuItemConstructorOptions[] = a.restartToUpdate
    ? [{ label: `Restart to Update (${a.restartToUpdate.version})`, click: a.restartToUpdate.run }]
    : [{ label: 'Check for Updates…', click: a.checkForUpdates }];
  return [
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
        ...(packaged ? [] : [{ role: 'toggleDevTools' as const }]),
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
      submenu: [
        { label: 'Parley help', click: () => void shell.openExternal(a.docsUrl) },
        { type: 'separator' },
        { label: 'Export Diagnostics…', click: a.exportDiagnostics },
        { label: 'Open Log Folder', click: a.openLogFolder },
        { type: 'separator' },
        ...update,
      ],
    },
  ];
}

export function installMenu(a: MenuActions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(a)));
}

// The right-click menu of the window: spelling suggestions (Chromium's spellchecker is on
// in the window's webPreferences), "Add to dictionary", cut/copy/paste/select all as the
// context allows, and "Copy link" on links. Nothing that would reach the page's code.
import type { BrowserWindow, ContextMenuParams, MenuItemConstructorOptions } from 'electron';
import { clipboard, Menu } from 'electron';
import { isSafeExternal } from './urls';

export function contextMenuTemplate(p: ContextMenuParams, win: Pick<BrowserWindow, 'webContents'>): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [];
  const wc = win.webContents;
  if (p.misspelledWord) {
    for (const s of p.dictionarySuggestions.slice(0, 5)) items.push({ label: s, click: () => wc.replaceMisspelling(s) });
    if (p.dictionarySuggestions.length === 0) items.push({ label: 'No suggestions', enabled: false });
    items.push({ label: 'Add to dictionary', click: () => wc.session.addWordToSpellCheckerDictionary(p.misspelledWord) });
    items.push({ type: 'separator' });
  }
  if (p.isEditable) {
    items.push({ role: 'cut', enabled: p.editFlags.canCut }, { role: 'copy', enabled: p.editFlags.canCopy }, { role: 'paste', enabled: p.editFlags.canPaste });
    items.push({ type: 'separator' }, { role: 'selectAll', enabled: p.editFlags.canSelectAll });
  } else if (p.selectionText.trim()) {
    items.push({ role: 'copy' });
  }
  if (p.linkURL && isSafeExternal(p.linkURL)) {
    if (items.length) items.push({ type: 'separator' });
    items.push({ label: 'Copy link', click: () => clipboard.writeText(p.linkURL) });
  }
  return items;
}

export function installContextMenu(win: BrowserWindow): void {
  win.webContents.on('context-menu', (_e, params) => {
    const template = contextMenuTemplate(params, win);
    if (template.length) Menu.buildFromTemplate(template).popup({ window: win });
  });
}

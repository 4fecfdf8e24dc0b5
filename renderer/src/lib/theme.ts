// Theme: follow the OS unless the user chose light or dark (data-theme on <html>).
import { useEffect } from 'react';
import { useUi } from '../state/ui';

export function useThemeEffect() {
  const theme = useUi((s) => s.theme);
  useEffect(() => {
    const el = document.documentElement;
    if (theme === 'system') el.removeAttribute('data-theme');
    else el.setAttribute('data-theme', theme);
  }, [theme]);
}

export function effectiveTheme(pref: 'system' | 'light' | 'dark'): 'light' | 'dark' {
  if (pref !== 'system') return pref;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

// Window bounds kept between launches, clamped so a window never reopens off-screen
// (a monitor may have been unplugged). Pure apart from the JSON file; tested under Node.
import { readJsonFile, writeFileAtomic } from './atomicFile';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface WindowState extends Rect {
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 820 };
const MIN = { width: 900, height: 600 };

/** The saved bounds, or null when the file is absent, torn or holds anything but four finite numbers. */
export function readWindowState(file: string): WindowState | null {
  const r = readJsonFile(file, (raw) => {
    if (typeof raw !== 'object' || raw === null) return null;
    const v = raw as Partial<Record<keyof WindowState, unknown>>;
    const { x, y, width, height } = v;
    if (typeof x !== 'number' || typeof y !== 'number' || typeof width !== 'number' || typeof height !== 'number') return null;
    if (![x, y, width, height].every(Number.isFinite) || width <= 0 || height <= 0) return null;
    return { x, y, width, height, maximized: v.maximized === true };
  });
  return r.ok ? r.value : null;
}

export function writeWindowState(file: string, s: WindowState): void {
  try {
    writeFileAtomic(file, JSON.stringify(s));
  } catch {
    // losing the window position is not worth failing a quit over
  }
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Saved bounds if enough of the window lands on a current display, else centred on the first. */
export function restoreBounds(saved: WindowState | null, workAreas: Rect[]): WindowState {
  const area = workAreas[0] ?? { x: 0, y: 0, width: DEFAULT_SIZE.width, height: DEFAULT_SIZE.height };
  if (saved) {
    const width = Math.max(MIN.width, saved.width);
    const height = Math.max(MIN.height, saved.height);
    const r = { ...saved, width, height };
    const visible = workAreas.some((wa) => overlap(r, wa) >= 0.3 * width * height);
    if (visible) return r;
  }
  const width = Math.min(DEFAULT_SIZE.width, area.width);
  const height = Math.min(DEFAULT_SIZE.height, area.height);
  return {
    x: Math.round(area.x + (area.width - width) / 2),
    y: Math.round(area.y + (area.height - height) / 2),
    width,
    height,
    maximized: saved?.maximized ?? false,
  };
}

// Remembers the main window's size, position and maximized state between launches, and never
// restores it off-screen (a monitor may have been unplugged since).
import { screen, type BrowserWindow, type Rectangle } from 'electron';
import Store from 'electron-store';

interface WindowState {
  bounds?: Rectangle;
  maximized?: boolean;
}

const store = new Store<WindowState>({ name: 'window-state' });

function visible(bounds: Rectangle): boolean {
  return screen
    .getAllDisplays()
    .some(({ workArea: a }) => bounds.x < a.x + a.width && bounds.x + bounds.width > a.x && bounds.y < a.y + a.height && bounds.y + bounds.height > a.y);
}

export function restoredBounds(): Partial<Rectangle> {
  const bounds = store.get('bounds');
  return bounds && visible(bounds) ? bounds : {};
}

export function trackWindowState(win: BrowserWindow): void {
  if (store.get('maximized')) win.maximize();
  const save = () => {
    if (win.isDestroyed()) return;
    store.set('maximized', win.isMaximized());
    if (!win.isMaximized() && !win.isMinimized()) store.set('bounds', win.getBounds());
  };
  win.on('resized', save);
  win.on('moved', save);
  win.on('maximize', save);
  win.on('unmaximize', save);
  win.on('close', save);
}

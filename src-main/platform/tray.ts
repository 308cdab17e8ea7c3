// A tray / menu-bar icon whose tooltip says how the providers are doing, with Open and Quit.
import { join } from 'node:path';
import { app, Menu, nativeImage, Tray } from 'electron';
import type { App } from '../core/app';

export function installTray(core: App, open: () => void): Tray {
  const icon = nativeImage.createFromPath(join(app.getAppPath(), 'resources/icon.png')).resize({ width: 18, height: 18 });
  const tray = new Tray(icon);
  const refresh = async () => {
    const providers = await core.handlers['providers.list']({});
    const failing = providers.filter((p) => p.health.lastError !== null || p.health.lastTestOk === false);
    tray.setToolTip(
      providers.length === 0
        ? 'Posture Console — no providers'
        : `Posture Console — ${providers.length} providers, ${failing.length ? `${failing.length} failing: ${failing.map((p) => p.config.name).join(', ')}` : 'all healthy'}`,
    );
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: failing.length ? `${failing.length} provider(s) failing` : 'Providers healthy', enabled: false },
        { type: 'separator' },
        { label: 'Open Posture Console', click: open },
        { label: 'Quit', role: 'quit' },
      ]),
    );
  };
  tray.on('click', open);
  void refresh();
  core.events.listen((event) => {
    if (event === 'providers.changed' || event === 'poll.status') void refresh();
  });
  return tray;
}

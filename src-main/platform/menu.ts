// The native application menu: the usual roles and shortcuts, plus navigation that the renderer
// receives as a hash route (the same routes as the navigation rail).
import { app, Menu, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

const sections: [label: string, route: string, accelerator: string][] = [
  ['Dashboard', '/dashboard', 'CmdOrCtrl+1'],
  ['Providers', '/providers', 'CmdOrCtrl+2'],
  ['Checks', '/checks', 'CmdOrCtrl+3'],
  ['Devices', '/devices', 'CmdOrCtrl+4'],
  ['Posture Log', '/posture-log', 'CmdOrCtrl+5'],
  ['Detection Rules', '/rules', 'CmdOrCtrl+6'],
  ['Incidents', '/incidents', 'CmdOrCtrl+7'],
  ['IOCs', '/iocs', 'CmdOrCtrl+8'],
  ['Users', '/users', 'CmdOrCtrl+9'],
];

export function installMenu(win: () => BrowserWindow | undefined): void {
  const go = (route: string) => () => {
    const w = win();
    // Navigation stays inside the app page: only the fragment changes.
    void w?.webContents.executeJavaScript(`location.hash = ${JSON.stringify(`#${route}`)}`);
    w?.show();
  };
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'Go',
      submenu: [
        ...sections.map(([label, route, accelerator]) => ({ label, accelerator, click: go(route) })),
        { type: 'separator' },
        { label: 'Settings', accelerator: 'CmdOrCtrl+,', click: go('/settings') },
        { label: 'Status', click: go('/status') },
      ],
    },
    {
      label: 'View',
      submenu: [
        ...(app.isPackaged ? [] : [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }, { type: 'separator' as const }]),
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
        { label: 'CrowdStrike Falcon API documentation', click: () => void shell.openExternal('https://falcon.crowdstrike.com/documentation') },
        {
          label: 'Cloudflare device posture providers',
          click: () => void shell.openExternal('https://developers.cloudflare.com/cloudflare-one/identity/devices/service-providers/'),
        },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

// Exports in the desktop app: the admin picks the file with the native save dialog.
import { BrowserWindow, dialog } from 'electron';
import type { ExportDestination } from '../core/export/jobs';

export function saveDialogDestination(): ExportDestination {
  return {
    async choose(suggestedName) {
      const parent = BrowserWindow.getFocusedWindow();
      const options = { title: 'Export posture log', defaultPath: suggestedName, filters: [{ name: 'CSV', extensions: ['csv'] }] };
      const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  };
}

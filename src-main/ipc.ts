// Binds the contract to ipcMain: sender check -> zod parse -> core handler. Nothing else is handled.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { contract, type Handlers } from '../src-shared/contract';
export { EVENT_CHANNEL } from '../src-shared/contract';
import { dispatch } from '../src-shared/dispatch';
import type { Logger } from './core/log';
import type { CallContext } from '../src-shared/schemas/audit';

/** Every call over IPC comes from the app's own window: the desktop surface. */
const DESKTOP: CallContext = { surface: 'desktop' };

export function bindContract(
  ipcMain: Pick<IpcMain, 'handle'>,
  handlers: Handlers,
  options: { isTrusted: (event: IpcMainInvokeEvent) => boolean; logger: Logger },
): void {
  for (const channel of Object.keys(contract)) {
    ipcMain.handle(channel, async (event, raw: unknown) => {
      if (!options.isTrusted(event)) {
        options.logger.warn({ channel, url: event.senderFrame?.url }, 'IPC from an untrusted sender refused');
        return { ok: false, error: { code: 'untrusted_sender', message: 'Refused: the request did not come from the app window.' } };
      }
      return dispatch(handlers, channel, raw, (error) => options.logger.error({ err: error, channel }, 'handler failed'), DESKTOP);
    });
  }
}

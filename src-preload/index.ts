// The only surface the renderer gets: invoke a contract channel, subscribe to a contract event.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, isChannel, isEventName, type Envelope } from '../src-shared/contract';

const api = {
  invoke(channel: string, req: unknown): Promise<Envelope<unknown>> {
    if (!isChannel(channel)) return Promise.resolve({ ok: false, error: { code: 'unknown_channel', message: `Unknown channel '${channel}'.` } });
    return ipcRenderer.invoke(channel, req) as Promise<Envelope<unknown>>;
  },
  subscribe(listener: (message: { event: string; payload: unknown }) => void): () => void {
    const relay = (_e: IpcRendererEvent, message: { event: string; payload: unknown }) => {
      if (isEventName(message.event)) listener(message);
    };
    ipcRenderer.on(EVENT_CHANNEL, relay);
    return () => ipcRenderer.off(EVENT_CHANNEL, relay);
  },
};

export type PostureConsoleApi = typeof api;

contextBridge.exposeInMainWorld('postureConsole', api);

// An HTTP(S) server on 127.0.0.1 that a test can stop (connections refused) and start again on the same
// port, for the HTTP sinks' loopback receivers.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** Path with query. */
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type Handler = (req: ReceivedRequest, res: ServerResponse) => void | Promise<void>;

export interface LoopbackServer {
  /** http(s)://127.0.0.1:port */
  readonly origin: string;
  /** Every request as it arrived, in order. */
  readonly requests: ReceivedRequest[];
  /** Before reading each request body, wait this long (a slow receiver: the client's timeouts fire). */
  slowMs: number;
  /** Closes the listener and every open connection: new connections are refused until `start`. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startLoopbackServer(handler: Handler, tls?: { key: string; cert: string }): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const requests: ReceivedRequest[] = [];
  let port = 0;
  const state = { slowMs: 0 };

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    if (state.slowMs > 0) await new Promise((r) => setTimeout(r, state.slowMs));
    if (res.destroyed) return;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const received: ReceivedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers, body: Buffer.concat(chunks).toString('utf8') };
    requests.push(received);
    try {
      await handler(received, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    }
  };

  const make = (): Server => {
    const server = tls ? createHttpsServer(tls, (q, s) => void onRequest(q, s)) : createHttpServer((q, s) => void onRequest(q, s));
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    server.on('secureConnection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    return server;
  };

  let server: Server | undefined;
  const start = async () => {
    const next = make();
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    port = (next.address() as AddressInfo).port;
    server = next;
  };
  const stop = async () => {
    const current = server;
    server = undefined;
    if (!current) return;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => current.close(() => resolve()));
  };
  await start();

  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    get slowMs() {
      return state.slowMs;
    },
    set slowMs(ms: number) {
      state.slowMs = ms;
    },
    stop,
    start,
    close: stop,
  };
}

/** Writes a JSON answer. */
export function answerJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

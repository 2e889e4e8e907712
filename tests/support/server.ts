// A tiny static HTTP server on loopback for browser tests and the demo: routes map a path to a page.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Page {
  body: string | Uint8Array;
  type?: string;
  headers?: Record<string, string>;
}

export interface PageServer {
  port: number;
  /** URL of a path on a given host name (resolved to this server by Chromium's host rules). */
  url(host: string, path: string): string;
  set(path: string, page: Page): void;
  close(): Promise<void>;
}

export async function startPageServer(initial: Record<string, Page> = {}): Promise<PageServer> {
  const pages = new Map<string, Page>(Object.entries(initial));
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const page = pages.get(path);
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': page.type ?? 'text/html; charset=utf-8', ...page.headers });
    res.end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (host, path) => `http://${host}:${port}${path}`,
    set: (path, page) => void pages.set(path, page),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

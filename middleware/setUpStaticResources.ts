// Our stylesheet and scripts, and htmx served from our own origin at a versioned path.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

const require = createRequire(import.meta.url);
const PUBLIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'public');
const HTMX_DIR = path.dirname(require.resolve('htmx.org/dist/htmx.min.js'));
export const HTMX_VERSION: string = (require('htmx.org/package.json') as { version: string }).version;
export const HTMX_PATH = `/assets/htmx-${HTMX_VERSION}.min.js`;

export function setUpStaticResources(options: { production: boolean }): Router {
  const router = Router();
  const maxAge = options.production ? '1d' : 0;
  router.use('/assets', express.static(PUBLIC_DIR, { maxAge, index: false, fallthrough: true }));
  // The versioned file never changes, so browsers may keep it for a year.
  router.get(HTMX_PATH, (_req, res) => {
    res.sendFile(path.join(HTMX_DIR, 'htmx.min.js'), { maxAge: '365d', immutable: true });
  });
  return router;
}

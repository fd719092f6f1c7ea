import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { projectRoot } from './paths.js';

/**
 * The built cashier's screen (dist/ui). Hashed assets — the UI code and automerge's wasm — are
 * cached for good; index.html never is, so a new version shows at the next load.
 */
export async function registerStaticUi(app: FastifyInstance): Promise<boolean> {
  const dir = join(projectRoot(), 'dist', 'ui');
  if (!existsSync(join(dir, 'index.html'))) {
    app.get('/', (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><meta charset="utf-8"><p>La interfaz no está compilada: ejecute <code>npm run build</code>.</p>',
        ),
    );
    return false;
  }
  await app.register(fastifyStatic, {
    root: dir,
    index: ['index.html'],
    wildcard: false,
    // The headers below are the only caching rule (send's own max-age=0 would replace them).
    cacheControl: false,
    setHeaders(res, path) {
      res.setHeader(
        'cache-control',
        path.includes(join('ui', 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  return true;
}

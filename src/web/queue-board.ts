import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BOARD_PATH } from './board-path.js';

/** A BullMQ queue as bull-board takes it (created by the composition root: web never imports bullmq). */
export type BoardQueue = ConstructorParameters<typeof BullMQAdapter>[0];


/**
 * bull-board's queue-level view of the step queues, as a plain node:http handler for paths under
 * /queues. The web server puts its own access control (and CSRF checks on bull-board's writes) in
 * front; bull-board itself checks nothing.
 */
export function queueBoard(queues: readonly BoardQueue[]): (req: IncomingMessage, res: ServerResponse) => void {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter, options: { uiConfig: { boardTitle: 'Sluice queues' } } });
  const app = adapter.getRouter() as (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;
  return (req, res) => {
    // The express app routes from its own root: strip the mount path, as app.use('/queues', ...) would.
    req.url = req.url!.slice(BOARD_PATH.length) || '/';
    app(req, res, (error) => {
      res.statusCode = error ? 500 : 404;
      res.end(error ? 'queue board error' : 'not found');
    });
  };
}

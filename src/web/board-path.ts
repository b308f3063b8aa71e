/** Where bull-board is mounted (queue-board.ts); a constant of its own so the server need not load bull-board to route. */
export const BOARD_PATH = '/queues';

import { didYouMean, suggest } from '../core/suggest.js';
import type { Instance } from '../storage/instance.js';
import type { ScheduleView } from './api-contract.js';
import type { Handlers } from './api-dispatch.js';
import type { ScheduleInfo } from './api-routes.js';
import { HttpError } from './http-util.js';
import { scheduleStateView, tickView } from './schedule-views.js';

type ScheduleRoutes = 'schedules' | 'startSchedule' | 'stopSchedule' | 'scheduleStates' | 'setScheduleState' | 'scheduleTicks';

/** The schedule routes: the project's schedules with their state, start/stop, persisted states and ticks. */
export function scheduleHandlers(deps: { instance: Instance; schedules?: readonly ScheduleInfo[] }): Handlers<ScheduleRoutes> {
  const { instance } = deps;
  const schedules = deps.schedules ?? [];
  const setStatus = async (name: string, status: 'RUNNING' | 'STOPPED') => {
    const known = schedules.map((s) => s.definition.name);
    if (!known.includes(name)) throw new HttpError(404, 'UNKNOWN_SCHEDULE', `no schedule "${name}" in this project${didYouMean(suggest(name, known))}`);
    return { state: scheduleStateView(await instance.schedules.setScheduleStatus(name, status, new Date())) };
  };
  return {
    async schedules() {
      const stored = new Map((await instance.schedules.listScheduleStates()).map((s) => [s.name, s]));
      const now = new Date();
      const views = await Promise.all(
        schedules.map(async ({ definition: d, ticks }): Promise<ScheduleView> => {
          const [last] = await instance.schedules.listTicks(d.name, { limit: 1 });
          return {
            name: d.name,
            cron: d.cron,
            timezone: d.timezone,
            selection: d.select,
            description: d.description ?? null,
            status: stored.get(d.name)?.status ?? d.defaultStatus,
            nextTick: ticks.nextAfter(now)?.toISOString() ?? null,
            lastTick: last ? tickView(last) : null,
          };
        }),
      );
      return { schedules: views };
    },
    startSchedule: ({ params }) => setStatus(params.name, 'RUNNING'),
    stopSchedule: ({ params }) => setStatus(params.name, 'STOPPED'),
    async scheduleStates() {
      return { states: (await instance.schedules.listScheduleStates()).map(scheduleStateView) };
    },
    async setScheduleState({ params: { name }, body }) {
      return { state: scheduleStateView(await instance.schedules.setScheduleStatus(name, body.status, new Date())) };
    },
    async scheduleTicks({ params: { name }, query }) {
      return { ticks: (await instance.schedules.listTicks(name, { limit: query.limit })).map(tickView) };
    },
  };
}

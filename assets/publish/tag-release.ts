import { defineAsset, listReleases, postgresWarehouse, releaseName, tagRelease } from 'sluice';
import { z } from 'zod';
import { SCHEMAS } from '../lib/warehouse-schemas.js';
import { publish } from './publish.js';

const tagReleaseConfig = z
  .object({
    /** The release's day, `YYYY-MM-DD` (default: today, UTC). */
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
      .refine((value) => {
        const time = Date.parse(`${value}T00:00:00Z`);
        return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
      }, 'not a calendar date')
      .optional(),
  })
  .prefault({});

/**
 * A read-only snapshot of main as `release_YYYY_MM_DD` (query it like any schema:
 * `select * from release_2024_10_15.daily_glucose`). Re-running on the same day re-tags that day.
 */
export const tagReleaseAsset = defineAsset({
  key: 'tag_release',
  group: 'publish',
  kinds: ['postgres'],
  deps: [publish],
  description: 'Tags a read-only snapshot of main as release_YYYY_MM_DD.',
  config: tagReleaseConfig,
  resources: { warehouse: postgresWarehouse },
  async materialize(ctx) {
    const day = ctx.config.date === undefined ? new Date() : new Date(`${ctx.config.date}T00:00:00Z`);
    const release = await tagRelease(ctx.resources.warehouse, { from: SCHEMAS.main, name: releaseName(day), ifExists: 'replace' });
    const releases = await listReleases(ctx.resources.warehouse);
    ctx.log.info({ release: release.name, tables: release.tables }, 'release tagged');
    return {
      metadata: {
        release: release.name,
        tables: { json: release.tables },
        releases: releases.length,
        latest_releases: { json: releases.slice(-5).map((r) => r.name) },
      },
    };
  },
});

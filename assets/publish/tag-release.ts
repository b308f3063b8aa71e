import { defineAsset, isNessieError, listReleases, postgresWarehouse, releaseName, tagRelease, type Metadata } from 'sluice';
import { z } from 'zod';
import { nessieLakehouse, type NessieLakehouse } from '../lib/nessie-lakehouse.js';
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
 * With a Nessie catalog configured, also the Nessie tag `release-YYYY-MM-DD` at main's HEAD
 * (moved there on a re-run of the day), so `release-2024-10-15` reads main as it was released.
 */
export const tagReleaseAsset = defineAsset({
  key: 'tag_release',
  group: 'publish',
  kinds: ['postgres'],
  deps: [publish],
  description: 'Tags a read-only snapshot of main as release_YYYY_MM_DD (and the Nessie tag release-YYYY-MM-DD when configured).',
  config: tagReleaseConfig,
  resources: { warehouse: postgresWarehouse, nessie: nessieLakehouse },
  async materialize(ctx) {
    const day = ctx.config.date === undefined ? new Date() : new Date(`${ctx.config.date}T00:00:00Z`);
    const release = await tagRelease(ctx.resources.warehouse, { from: SCHEMAS.main, name: releaseName(day), ifExists: 'replace' });
    const releases = await listReleases(ctx.resources.warehouse);
    ctx.log.info({ release: release.name, tables: release.tables }, 'release tagged');
    const nessie = !ctx.resources.nessie ? {} : await tagNessieRelease(ctx.resources.nessie, day.toISOString().slice(0, 10));
    return {
      metadata: {
        release: release.name,
        tables: { json: release.tables },
        releases: releases.length,
        latest_releases: { json: releases.slice(-5).map((r) => r.name) },
        ...nessie,
      },
    };
  },
});

/** Tags Nessie's main HEAD as `<prefix>YYYY-MM-DD`, moving the day's tag if it points elsewhere. */
async function tagNessieRelease(nessie: NessieLakehouse, day: string): Promise<Metadata> {
  const name = `${nessie.releasePrefix}${day}`;
  const main = await nessie.client.getReference(nessie.main);
  let existing;
  try {
    existing = await nessie.client.getReference(name);
  } catch (error) {
    if (!isNessieError(error, 'NESSIE_REFERENCE_NOT_FOUND')) throw error;
  }
  const tag =
    existing === undefined
      ? await nessie.client.createTag(name, main)
      : existing.hash === main.hash
        ? existing
        : await nessie.client.assignReference('TAG', name, existing.hash, main);
  return { nessie_tag: tag.name, nessie_tag_hash: tag.hash, nessie_retagged: existing !== undefined && existing.hash !== main.hash };
}

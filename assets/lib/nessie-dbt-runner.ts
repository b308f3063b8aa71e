import type { DbtRunContext, DbtRunner, Warehouse } from 'sluice';
import { commitTableVersion } from './commit-table-version.js';
import { nessieLakehouse, type NessieLakehouse } from './nessie-lakehouse.js';

/**
 * A dbt runner that, with a Nessie catalog configured, commits each model it built on the Nessie
 * `dev` branch (commitTableVersion) after `inner` built it in Postgres; the commit's facts join
 * the model's metadata. Views are not tables, so they are not committed. With a catalog, results
 * are handed on (`onResult`) once committed, after `inner` ends.
 */
export function nessieCommittingRunner(inner: DbtRunner): DbtRunner {
  return Object.freeze({
    kind: inner.kind,
    resources: Object.freeze({ ...inner.resources, nessie: nessieLakehouse }),
    ...(inner.parseManifest ? { parseManifest: (dir: string) => inner.parseManifest!(dir) } : {}),
    async run(ctx: DbtRunContext) {
      const nessie = ctx.resources.nessie as NessieLakehouse | null;
      if (!nessie) return inner.run(ctx);
      const { onResult, ...rest } = ctx;
      const results = await inner.run(rest);
      const warehouse = ctx.resources.warehouse as Warehouse;
      const out = [];
      for (const result of results) {
        const node = ctx.project.nodes.get(result.uniqueId);
        if (!node || result.status !== 'success' || node.materialized === 'view' || node.materialized === 'ephemeral') {
          out.push(result);
          onResult?.(result);
          continue;
        }
        const table = typeof node.config?.alias === 'string' ? node.config.alias : node.name;
        const metadata = await commitTableVersion(nessie, warehouse, { runId: ctx.run?.id ?? 'unknown', assetKey: node.uniqueId }, table);
        const committed = { ...result, metadata: { ...result.metadata, ...metadata } };
        out.push(committed);
        onResult?.(committed);
      }
      return out;
    },
  });
}

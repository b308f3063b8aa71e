import { didYouMean } from '../suggest.js';
import { SluiceError } from '../errors.js';

export class DuplicateAssetError extends SluiceError {
  constructor(key: string, sources: readonly string[]) {
    const fix = 'rename one of them';
    super('DUPLICATE_ASSET', `asset "${key}" is defined twice: in ${sources.join(' and in ')}; ${fix}`, { key, sources, fix });
  }
}

export class UnknownDependencyError extends SluiceError {
  /** `fix`: what the definition says to do when this dep is missing (e.g. a dbt source's mapping), else the general advice. */
  constructor(asset: string, dep: string, source: string | undefined, suggestions: readonly string[], fix?: string) {
    const what = fix ?? `define asset "${dep}", or remove it from the deps of "${asset}"`;
    super(
      'UNKNOWN_DEPENDENCY',
      `asset "${asset}"${source ? ` (${source})` : ''} depends on unknown asset "${dep}"${didYouMean(suggestions)}${fix ? `; ${fix}` : ''}`,
      { asset, dep, source, suggestions, fix: what },
    );
  }
}

export class CycleError extends SluiceError {
  constructor(readonly cycle: readonly string[]) {
    const fix = 'remove one of these dependencies';
    super('DEPENDENCY_CYCLE', `the asset graph has a cycle: ${cycle.join(' -> ')}; ${fix}`, { cycle, fix });
  }
}

export class DuplicateCheckError extends SluiceError {
  constructor(asset: string, name: string, sources: readonly string[]) {
    super('DUPLICATE_CHECK', `check "${name}" on asset "${asset}" is defined twice: in ${sources.join(' and in ')}`, {
      asset,
      name,
      sources,
      fix: 'rename one of the two checks',
    });
  }
}

export class UnknownCheckAssetError extends SluiceError {
  constructor(check: string, asset: string, source: string | undefined, suggestions: readonly string[]) {
    super(
      'UNKNOWN_CHECK_ASSET',
      `check "${check}"${source ? ` (${source})` : ''} targets unknown asset "${asset}"${didYouMean(suggestions)}`,
      { check, asset, source, suggestions, fix: `point the check at an asset that exists, or define asset "${asset}"` },
    );
  }
}

/** A dependency whose partition mapping cannot relate the two assets' partitions. */
export class PartitionMappingError extends SluiceError {
  constructor(asset: string, upstream: string, source: string | undefined, reason: string, fix: string) {
    super(
      'INVALID_PARTITION_MAPPING',
      `asset "${asset}"${source ? ` (${source})` : ''} depends on "${upstream}" but ${reason}; ${fix}`,
      { asset, upstream, source, reason, fix },
    );
  }
}

export class DuplicateMultiAssetError extends SluiceError {
  constructor(name: string, sources: readonly string[]) {
    const fix = 'rename one of them';
    super('DUPLICATE_MULTI_ASSET', `multi-asset "${name}" is defined twice: in ${sources.join(' and in ')}; ${fix}`, { name, sources, fix });
  }
}

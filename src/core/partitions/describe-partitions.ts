import type { PartitionsDefinition } from './partitions-definition.js';

const SHOWN_KEYS = 10;

/** For messages: `daily from 2024-10-01 (Europe/London)`, `hourly from ... (UTC, endOffset 1)`, `static: eu, us`. */
export function describePartitions(def: PartitionsDefinition): string {
  if (def.kind === 'static') {
    const shown = def.keys.slice(0, SHOWN_KEYS).join(', ');
    const more = def.keys.length - SHOWN_KEYS;
    return `static: ${shown}${more > 0 ? ` and ${more} more` : ''}`;
  }
  const offset = def.endOffset === 0 ? '' : `, endOffset ${def.endOffset}`;
  return `${def.cadence} from ${def.start} (${def.timezone}${offset})`;
}

/** True when both define the same partitions (by value: kind, cadence, start, zone, endOffset; static keys in order). */
export function sameDefinition(a: PartitionsDefinition, b: PartitionsDefinition): boolean {
  if (a === b) return true;
  if (a.kind === 'static' || b.kind === 'static') {
    return a.kind === 'static' && b.kind === 'static' && a.keys.length === b.keys.length && a.keys.every((k, i) => k === b.keys[i]);
  }
  return a.cadence === b.cadence && a.start === b.start && a.timezone === b.timezone && a.endOffset === b.endOffset;
}

import { RANGE_SEPARATOR } from '../partitions/partition-range.js';

/**
 * The partition keys of one asset at `now`, oldest first, each with its position: what the
 * PartitionSets of that asset are bitsets over. Assets with the same partitions share one.
 */
export class PartitionUniverse {
  readonly index: ReadonlyMap<string, number>;
  readonly words: number;
  readonly empty: PartitionSet;
  readonly full: PartitionSet;

  /** `timeWindow`: consecutive keys are written as `from...to` ranges (time-window keys sort lexically in time order). */
  constructor(
    readonly keys: readonly string[],
    readonly timeWindow: boolean,
  ) {
    this.index = new Map(keys.map((k, i) => [k, i]));
    this.words = (keys.length + 31) >>> 5;
    this.empty = new PartitionSet(this, new Uint32Array(this.words), null);
    const all = new Uint32Array(this.words).fill(0xffffffff);
    if (keys.length % 32 !== 0) all[this.words - 1] = (1 << keys.length % 32) - 1;
    this.full = new PartitionSet(this, all, null);
  }
}

/**
 * An immutable set of partition keys of one asset: a bitset over its universe, plus the keys
 * outside it (a partition mapping reaching past the dep's keys, a stored state naming a key that no
 * longer exists). Set algebra over two-year daily assets is a few dozen word operations.
 */
export class PartitionSet {
  #size = -1;
  #compact: readonly string[] | undefined;

  constructor(
    readonly universe: PartitionUniverse,
    private readonly bits: Uint32Array,
    private readonly extra: ReadonlySet<string> | null,
  ) {}

  /** The set of `keys` (those outside the universe kept as extra). */
  static of(universe: PartitionUniverse, keys: Iterable<string>): PartitionSet {
    const builder = new PartitionSetBuilder(universe);
    for (const key of keys) builder.add(key);
    return builder.build();
  }

  /** A set written by `compact()` back as a set (a range covers the universe's keys between its ends). */
  static parse(universe: PartitionUniverse, stored: readonly string[] | undefined): PartitionSet {
    if (!stored || stored.length === 0) return universe.empty;
    const bits = new Uint32Array(universe.words);
    let extra: Set<string> | null = null;
    for (const entry of stored) {
      const at = entry.indexOf(RANGE_SEPARATOR);
      let from: number | undefined;
      let to: number | undefined;
      if (at < 0) {
        from = to = universe.index.get(entry);
        if (from === undefined) (extra ??= new Set()).add(entry);
      } else {
        const first = entry.slice(0, at);
        const last = entry.slice(at + RANGE_SEPARATOR.length);
        from = universe.index.get(first);
        to = universe.index.get(last);
        if (from === undefined || to === undefined) {
          // Ends no longer among the keys (the definition changed): every key between them.
          universe.keys.forEach((k, i) => {
            if (first <= k && k <= last) bits[i >>> 5]! |= 1 << (i & 31);
          });
          from = to = undefined;
        }
      }
      if (from !== undefined && to !== undefined) for (let i = from; i <= to; i++) bits[i >>> 5]! |= 1 << (i & 31);
    }
    return new PartitionSet(universe, bits, extra);
  }

  get size(): number {
    if (this.#size < 0) {
      let n = this.extra?.size ?? 0;
      for (let w of this.bits) {
        w -= (w >>> 1) & 0x55555555;
        w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
        n += (Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
      }
      this.#size = n;
    }
    return this.#size;
  }

  has(key: string): boolean {
    const i = this.universe.index.get(key);
    return i === undefined ? (this.extra?.has(key) ?? false) : (this.bits[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  and(other: PartitionSet): PartitionSet {
    if (other.universe !== this.universe) return this.filter((k) => other.has(k));
    if (this === other || this.isEmpty() || (other === this.universe.full && !this.extra)) return this;
    if (other.isEmpty() || (this === this.universe.full && !other.extra)) return other;
    const bits = new Uint32Array(this.bits.length);
    for (let i = 0; i < bits.length; i++) bits[i] = this.bits[i]! & other.bits[i]!;
    const extra = this.extra && other.extra ? new Set([...this.extra].filter((k) => other.extra!.has(k))) : null;
    return new PartitionSet(this.universe, bits, extra);
  }

  or(other: PartitionSet): PartitionSet {
    if (other.universe !== this.universe) return PartitionSet.of(this.universe, [...this.keys(), ...other.keys()]);
    if (this === other || other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    const bits = new Uint32Array(this.bits.length);
    for (let i = 0; i < bits.length; i++) bits[i] = this.bits[i]! | other.bits[i]!;
    const extra = this.extra || other.extra ? new Set([...(this.extra ?? []), ...(other.extra ?? [])]) : null;
    return new PartitionSet(this.universe, bits, extra);
  }

  /** The keys of this set that are not in `other`. */
  minus(other: PartitionSet): PartitionSet {
    if (other.universe !== this.universe) return this.filter((k) => !other.has(k));
    if (other.isEmpty() || this.isEmpty()) return this;
    if (this === other || (other === this.universe.full && !this.extra)) return this.universe.empty;
    const bits = new Uint32Array(this.bits.length);
    for (let i = 0; i < bits.length; i++) bits[i] = this.bits[i]! & ~other.bits[i]!;
    const extra = this.extra && other.extra ? new Set([...this.extra].filter((k) => !other.extra!.has(k))) : this.extra;
    return new PartitionSet(this.universe, bits, extra);
  }

  /** The keys for which `test` holds. */
  filter(test: (key: string) => boolean): PartitionSet {
    return PartitionSet.of(this.universe, this.keys().filter(test));
  }

  isEmpty(): boolean {
    return this.size === 0;
  }

  /** Whether it holds keys outside the universe. */
  hasExtra(): boolean {
    return (this.extra?.size ?? 0) > 0;
  }

  /** The keys in the universe, in partition order. */
  universeKeys(): string[] {
    const out: string[] = [];
    const { bits, universe } = this;
    for (let w = 0; w < bits.length; w++) {
      for (let word = bits[w]!; word !== 0; word &= word - 1) out.push(universe.keys[(w << 5) + 31 - Math.clz32(word & -word)]!);
    }
    return out;
  }

  /** Every key: the universe's in partition order, then the others sorted. */
  keys(): string[] {
    const out = this.universeKeys();
    return this.extra && this.extra.size > 0 ? [...out, ...[...this.extra].sort()] : out;
  }

  /**
   * As an evaluation tree keeps it: the keys in partition order, a run of two or more consecutive
   * time-window keys written `from...to` (a two-year daily asset's 731 keys are one entry); static
   * keys one by one; keys outside the universe after, sorted. Memoized (the set never changes).
   */
  compact(): readonly string[] {
    if (this.#compact) return this.#compact;
    const { bits, universe } = this;
    const keys = universe.keys;
    const out: string[] = [];
    let start = -1;
    let last = -2;
    for (let w = 0; w < bits.length; w++) {
      for (let word = bits[w]!; word !== 0; word &= word - 1) {
        const i = (w << 5) + 31 - Math.clz32(word & -word);
        if (universe.timeWindow && i === last + 1) {
          last = i;
          continue;
        }
        if (start >= 0) out.push(start === last ? keys[start]! : `${keys[start]}${RANGE_SEPARATOR}${keys[last]}`);
        start = last = i;
      }
    }
    if (start >= 0) out.push(start === last ? keys[start]! : `${keys[start]}${RANGE_SEPARATOR}${keys[last]}`);
    this.#compact = this.extra && this.extra.size > 0 ? [...out, ...[...this.extra].sort()] : out;
    return this.#compact;
  }
}

/** Builds one PartitionSet key by key. */
export class PartitionSetBuilder {
  private bits: Uint32Array | undefined;
  private extra: Set<string> | null = null;

  constructor(private readonly universe: PartitionUniverse) {}

  add(key: string): void {
    const i = this.universe.index.get(key);
    if (i === undefined) (this.extra ??= new Set()).add(key);
    else (this.bits ??= new Uint32Array(this.universe.words))[i >>> 5]! |= 1 << (i & 31);
  }

  build(): PartitionSet {
    if (!this.bits && !this.extra) return this.universe.empty;
    return new PartitionSet(this.universe, this.bits ?? new Uint32Array(this.universe.words), this.extra);
  }
}

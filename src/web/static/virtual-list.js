// @ts-check
// A list of fixed-height rows of which only those in the scroll viewport (plus a small overscan)
// exist in the DOM. The viewport scrolls over a sizer as tall as every row together; the rows in
// the window are children of `body`, and `shift` (body or a table around it) is translated to the
// window's first row. Rows are built by `row(index)`; a row leaving the window is dropped, one whose
// data changed is rebuilt by `update(index)` only while it is in the window.

/**
 * @typedef {object} VirtualListOptions
 * @property {HTMLElement} viewport the scrolling element (overflow: auto, bounded height)
 * @property {HTMLElement} body where the window's rows go
 * @property {HTMLElement} [shift] the element translated to the window's top (default: body)
 * @property {number} rowHeight each row's height in px (rows are styled to exactly this height)
 * @property {(index: number) => HTMLElement} row builds the row for an index
 * @property {number} [overscan] rows kept beyond each edge of the viewport (default 8)
 */

export class VirtualList {
  /** @param {VirtualListOptions} options */
  constructor(options) {
    this.viewport = options.viewport;
    this.body = options.body;
    this.shift = options.shift ?? options.body;
    this.rowHeight = options.rowHeight;
    this.buildRow = options.row;
    this.overscan = options.overscan ?? 8;
    this.count = 0;
    this.start = 0;
    this.end = 0;
    /** @type {Map<number, HTMLElement>} */
    this.rows = new Map();
    this.sizer = document.createElement('div');
    this.sizer.className = 'vlist-sizer';
    this.viewport.prepend(this.sizer);
    this.shift.classList.add('vlist-window');
    /** @type {number | null} */
    this.frame = null;
    this.viewport.addEventListener('scroll', () => {
      if (this.frame === null) this.frame = requestAnimationFrame(() => ((this.frame = null), this.draw()));
    }, { passive: true });
  }

  /** Whether the viewport shows the last row (a list that follows its end stays there as it grows). */
  atEnd() {
    const v = this.viewport;
    return v.scrollTop + v.clientHeight >= v.scrollHeight - this.rowHeight;
  }

  /**
   * The list now has `count` rows. Rows already built keep their index unless `shifted` says how
   * many rows were inserted (>0) or removed (<0) before them, which also keeps the view in place.
   * @param {number} count @param {{ shifted?: number, follow?: boolean }} [options]
   */
  setCount(count, options = {}) {
    const follow = options.follow ?? false;
    const shifted = options.shifted ?? 0;
    this.count = count;
    this.sizer.style.height = `${count * this.rowHeight}px`;
    if (shifted !== 0) {
      this.rows.clear();
      this.viewport.scrollTop += shifted * this.rowHeight;
    }
    if (follow) this.viewport.scrollTop = this.viewport.scrollHeight;
    this.draw(shifted !== 0);
  }

  /** Rebuilds every row in the window (the data behind all of them changed). */
  refresh() {
    this.rows.clear();
    this.draw(true);
  }

  /** Rebuilds row `index` when it is in the window; otherwise it is built fresh when scrolled to. @param {number} index */
  update(index) {
    const old = this.rows.get(index);
    if (!old) return;
    const fresh = this.buildRow(index);
    this.rows.set(index, fresh);
    old.replaceWith(fresh);
  }

  /** The rows in the window, with their indexes. @returns {IterableIterator<[number, HTMLElement]>} */
  visible() {
    return this.rows.entries();
  }

  /** Scrolls so that row `index` is in view. @param {number} index */
  reveal(index) {
    const top = index * this.rowHeight;
    const v = this.viewport;
    if (top < v.scrollTop || top + this.rowHeight > v.scrollTop + v.clientHeight) v.scrollTop = top - v.clientHeight / 2;
    this.draw();
  }

  /** Builds the rows entering the window and drops those leaving it. @param {boolean} [force] */
  draw(force = false) {
    const v = this.viewport;
    const first = Math.floor(v.scrollTop / this.rowHeight);
    const visibleRows = Math.ceil((v.clientHeight || this.rowHeight * 20) / this.rowHeight);
    const start = Math.max(0, first - this.overscan);
    const end = Math.min(this.count, first + visibleRows + this.overscan);
    if (!force && start === this.start && end === this.end && this.body.childElementCount === end - start) return;
    this.start = start;
    this.end = end;
    /** @type {Map<number, HTMLElement>} */
    const next = new Map();
    for (let i = start; i < end; i++) next.set(i, this.rows.get(i) ?? this.buildRow(i));
    this.rows = next;
    this.body.replaceChildren(...next.values());
    this.shift.style.transform = `translateY(${start * this.rowHeight}px)`;
  }
}

// @ts-check
// Draws the precomputed lineage layout (GET /api/lineage) on a canvas with viewport culling: each
// frame touches only the nodes whose column and rows intersect the view (binary search per
// column) and the edges whose bounding box does, and below a zoom threshold nodes are drawn as
// plain boxes without text. So the cost of a frame follows what is visible, not the graph's size.

/** @type {Readonly<Record<import('../api-contract.js').AssetStatus, string>>} */
export const STATUS_COLORS = {
  fresh: '#2f9e44',
  stale: '#e0a800',
  failed: '#e03131',
  missing: '#868e96',
  running: '#1c7ed6',
};

const GROUP_HUES = [210, 140, 30, 280, 0, 180, 330, 60, 250, 100];

export class LineageCanvas {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {import('../api-contract.js').LineageView} layout
   * @param {{ onOpen: (key: string) => void, onFirstRender?: () => void }} callbacks
   */
  constructor(canvas, layout, callbacks) {
    this.canvas = canvas;
    this.layout = layout;
    this.callbacks = callbacks;
    /** @type {Map<string, import('../api-contract.js').AssetStateView>} */
    this.states = new Map();
    /** @type {Set<number> | null} node indexes, or null = all */
    this.selected = null;
    this.hover = -1;
    this.scale = 1;
    this.tx = 20;
    this.ty = 20;
    this.groupColor = new Map(layout.groups.map((g, i) => [g, `hsl(${GROUP_HUES[i % GROUP_HUES.length]} 60% 45%)`]));
    this.index = new Map(layout.nodes.map((n, i) => [n.key, i]));
    // Columns: node indexes sorted by y, for range queries.
    /** @type {Map<number, number[]>} */
    const byX = new Map();
    layout.nodes.forEach((n, i) => {
      if (!byX.has(n.x)) byX.set(n.x, []);
      byX.get(n.x)?.push(i);
    });
    this.columns = [...byX.entries()].sort((a, b) => a[0] - b[0]).map(([x, list]) => ({ x, list: list.sort((a, b) => layout.nodes[a].y - layout.nodes[b].y) }));
    this.frame = 0;
    this.rendered = false;
    this.width = 0;
    this.height = 0;
    this.dpr = 1;
    /** @type {(e: MouseEvent) => void} */
    this.onMove = () => {};
    /** @type {(e: MouseEvent) => void} */
    this.onUp = () => {};
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.bind();
    this.resize();
  }

  bind() {
    const c = this.canvas;
    /** @type {{ x: number, y: number, tx: number, ty: number, moved: boolean } | null} */
    let drag = null;
    c.addEventListener('mousedown', (e) => {
      drag = { x: e.clientX, y: e.clientY, tx: this.tx, ty: this.ty, moved: false };
    });
    window.addEventListener('mousemove', (this.onMove = (e) => {
      if (drag) {
        const dx = e.clientX - drag.x;
        const dy = e.clientY - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
        this.tx = drag.tx + dx;
        this.ty = drag.ty + dy;
        this.draw();
      } else if (e.target === c) {
        const hit = this.hit(e);
        if (hit !== this.hover) {
          this.hover = hit;
          c.style.cursor = hit >= 0 ? 'pointer' : 'grab';
          c.title = hit >= 0 ? this.layout.nodes[hit].key : '';
          this.draw();
        }
      }
    }));
    window.addEventListener('mouseup', (this.onUp = (e) => {
      if (drag && !drag.moved && e.target === c) {
        const hit = this.hit(e);
        if (hit >= 0) this.callbacks.onOpen(this.layout.nodes[hit].key);
      }
      drag = null;
    }));
    c.addEventListener('wheel', (e) => {
      e.preventDefault();
      // Wheel pans (a tall graph is read top to bottom); ctrl/cmd + wheel and trackpad pinch zoom.
      if (!e.ctrlKey && !e.metaKey) {
        this.tx -= e.shiftKey ? e.deltaY : e.deltaX;
        this.ty -= e.shiftKey ? 0 : e.deltaY;
        this.draw();
        return;
      }
      const rect = c.getBoundingClientRect();
      const mx = e.clientX - rect.left;
      const my = e.clientY - rect.top;
      const factor = Math.exp(-e.deltaY * 0.0015);
      const next = Math.min(3, Math.max(0.02, this.scale * factor));
      this.tx = mx - ((mx - this.tx) * next) / this.scale;
      this.ty = my - ((my - this.ty) * next) / this.scale;
      this.scale = next;
      this.draw();
    }, { passive: false });
    this.resizeObserver.observe(/** @type {HTMLElement} */ (c.parentElement));
  }

  destroy() {
    window.removeEventListener('mousemove', this.onMove);
    window.removeEventListener('mouseup', this.onUp);
    this.resizeObserver.disconnect();
    cancelAnimationFrame(this.frame);
  }

  resize() {
    const parent = /** @type {HTMLElement} */ (this.canvas.parentElement);
    const dpr = window.devicePixelRatio || 1;
    this.width = parent.clientWidth;
    this.height = parent.clientHeight;
    this.canvas.width = Math.max(1, Math.floor(this.width * dpr));
    this.canvas.height = Math.max(1, Math.floor(this.height * dpr));
    this.canvas.style.width = `${this.width}px`;
    this.canvas.style.height = `${this.height}px`;
    this.dpr = dpr;
    this.drawNow();
  }

  /** Fits the given node indexes (or the whole graph) into the view. @param {readonly number[]} [indexes] */
  fit(indexes) {
    const { nodeWidth: w, nodeHeight: hgt } = this.layout;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    const list = indexes ?? this.layout.nodes.map((_, i) => i);
    for (const i of list) {
      const n = this.layout.nodes[i];
      x0 = Math.min(x0, n.x); y0 = Math.min(y0, n.y);
      x1 = Math.max(x1, n.x + w); y1 = Math.max(y1, n.y + hgt);
    }
    if (!Number.isFinite(x0)) return;
    const pad = 40;
    const fitWidth = (this.width - pad) / (x1 - x0);
    const fitAll = Math.min(fitWidth, (this.height - pad) / (y1 - y0));
    // A graph far taller than wide (thousands of assets in few layers) would shrink to a sliver:
    // fit its width instead (up to the zoom where labels show) and start at its top; wheel pans down.
    this.scale = Math.min(1.5, Math.max(0.02, fitAll < 0.1 ? Math.max(fitAll, Math.min(fitWidth, 0.35)) : fitAll));
    this.tx = (this.width - (x1 - x0) * this.scale) / 2 - x0 * this.scale;
    const tall = (y1 - y0) * this.scale > this.height - pad;
    this.ty = tall ? pad / 2 - y0 * this.scale : (this.height - (y1 - y0) * this.scale) / 2 - y0 * this.scale;
    this.draw();
  }

  /** @param {Map<string, import('../api-contract.js').AssetStateView>} states */
  setStates(states) {
    this.states = states;
    this.draw();
  }

  /** @param {readonly string[] | null} keys */
  setSelection(keys) {
    this.selected = keys ? new Set(keys.flatMap((k) => this.index.get(k) ?? [])) : null;
    this.draw();
  }

  /** @param {MouseEvent} e */
  hit(e) {
    const rect = this.canvas.getBoundingClientRect();
    const gx = (e.clientX - rect.left - this.tx) / this.scale;
    const gy = (e.clientY - rect.top - this.ty) / this.scale;
    const { nodeWidth: w, nodeHeight: hgt } = this.layout;
    for (const col of this.columns) {
      if (gx < col.x || gx > col.x + w) continue;
      for (const i of this.range(col, gy - hgt, gy)) {
        const n = this.layout.nodes[i];
        if (gy >= n.y && gy <= n.y + hgt) return i;
      }
    }
    return -1;
  }

  /**
   * Node indexes of `col` whose y lies in [y0, y1] (binary search on the sorted column).
   * @param {{ x: number, list: number[] }} col @param {number} y0 @param {number} y1
   */
  *range(col, y0, y1) {
    const nodes = this.layout.nodes;
    let lo = 0, hi = col.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (nodes[col.list[mid]].y < y0) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < col.list.length && nodes[col.list[k]].y <= y1; k++) yield col.list[k];
  }

  draw() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.drawNow();
    });
  }

  drawNow() {
    const ctx = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext('2d'));
    const { nodes, edges, nodeWidth: w, nodeHeight: hgt } = this.layout;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    ctx.setTransform(this.dpr * this.scale, 0, 0, this.dpr * this.scale, this.dpr * this.tx, this.dpr * this.ty);
    const vx0 = -this.tx / this.scale, vy0 = -this.ty / this.scale;
    const vx1 = vx0 + this.width / this.scale, vy1 = vy0 + this.height / this.scale;
    const sel = this.selected;
    const detailed = this.scale >= 0.35;
    // Zoomed far out, the graph becomes a status heat map: solid boxes, and at most EDGE_BUDGET
    // faint edges (thousands of hairlines would only grey the picture out and cost the frame).
    const edgeBudget = detailed ? Infinity : 3000;
    let edgeCount = 0;
    // Edges: a cubic from the parent's right side to the child's left side.
    ctx.lineWidth = 1 / Math.max(this.scale, 0.5);
    ctx.globalAlpha = detailed ? 1 : 0.35;
    for (const pass of [false, true]) {
      ctx.strokeStyle = pass ? '#5c7cfa' : '#ced4da';
      ctx.beginPath();
      for (const [a, b] of edges) {
        if (edgeCount >= edgeBudget) break;
        const p = nodes[a], q = nodes[b];
        const x0 = p.x + w, y0 = p.y + hgt / 2, x1 = q.x, y1 = q.y + hgt / 2;
        if (Math.max(x0, x1) < vx0 || Math.min(x0, x1) > vx1 || Math.max(y0, y1) < vy0 || Math.min(y0, y1) > vy1) continue;
        const inSel = sel !== null && sel.has(a) && sel.has(b);
        if (inSel !== pass) continue;
        edgeCount++;
        const mx = (x0 + x1) / 2;
        ctx.moveTo(x0, y0);
        ctx.bezierCurveTo(mx, y0, mx, y1, x1, y1);
      }
      ctx.stroke();
    }
    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    let drawn = 0;
    for (const col of this.columns) {
      if (col.x + w < vx0 || col.x > vx1) continue;
      for (const i of this.range(col, vy0 - hgt, vy1)) {
        const n = nodes[i];
        const state = this.states.get(n.key);
        const status = state?.status ?? 'missing';
        ctx.globalAlpha = sel === null || sel.has(i) ? 1 : 0.18;
        if (!detailed) {
          ctx.fillStyle = STATUS_COLORS[status];
          ctx.fillRect(n.x, n.y, w, hgt);
          drawn++;
          continue;
        }
        ctx.fillStyle = '#fff';
        ctx.fillRect(n.x, n.y, w, hgt);
        ctx.fillStyle = STATUS_COLORS[status];
        ctx.fillRect(n.x, n.y, 6, hgt);
        ctx.strokeStyle = i === this.hover ? '#000' : STATUS_COLORS[status];
        ctx.lineWidth = i === this.hover ? 2 : 1;
        ctx.strokeRect(n.x, n.y, w, hgt);
        {
          ctx.fillStyle = this.groupColor.get(n.group) ?? '#868e96';
          ctx.fillRect(n.x + 6, n.y + hgt - 3, w - 6, 3);
          ctx.fillStyle = '#212529';
          const label = n.key.length > 26 ? `…${n.key.slice(-25)}` : n.key;
          ctx.fillText(label, n.x + 12, n.y + hgt / 2 - 1);
          const checks = state?.checks ?? [];
          checks.slice(0, 6).forEach((c, k) => {
            ctx.beginPath();
            ctx.fillStyle = c.passed === null ? '#adb5bd' : c.passed ? '#2f9e44' : c.severity === 'ERROR' ? '#e03131' : '#f08c00';
            ctx.arc(n.x + w - 8 - k * 10, n.y + 8, 4, 0, Math.PI * 2);
            ctx.fill();
          });
        }
        drawn++;
      }
    }
    ctx.globalAlpha = 1;
    this.lastDrawn = drawn;
    if (!this.rendered && drawn > 0) {
      this.rendered = true;
      this.callbacks.onFirstRender?.();
    }
  }
}

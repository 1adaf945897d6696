/**
 * The kernel graph as a self-contained HTML page: kernels as boxes coloured by backend, tensors
 * on the edges, estimated (and, after a prove, measured) costs, and the plan table below.
 *
 * The graph is laid out here, at page-generation time, by dagre (a layered top-to-bottom DAG
 * layout: ranks by dependency, crossings reduced, edges routed around boxes, edge labels placed
 * beside their edges); the page is plain SVG with no script and no network access.
 */
import dagre from "@dagrejs/dagre";
import type { Manifest } from "../runtime/manifest.js";
import type { PlanRow } from "../toolchain/compile.js";
import { defaultBackends } from "../backends/registry.js";

export interface InspectData {
  manifest: Manifest;
  plan: PlanRow[];
  /** tensor name -> shape */
  shapes: Map<string, readonly number[]>;
  /** kernel name -> measured prove seconds, when a prove left its statistics */
  measured?: Map<string, number>;
}

/** Backend colours in registry order (blue for the first, orange for the second, ...). */
const PALETTE = ["#2f6fb0", "#d9772b", "#15803d", "#b91c1c", "#0e7490", "#a16207"] as const;
const IO_COLOUR = "#6b7280";
const NAMES = defaultBackends.names();
const colourOf = (backend: string): string => PALETTE[(NAMES.includes(backend) ? NAMES.indexOf(backend) : NAMES.length) % PALETTE.length]!;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const fmtS = (s: number) => (s < 0.01 ? `${(s * 1000).toFixed(1)} ms` : `${s.toPrecision(3)} s`);
const fmtB = (b: number) => (b < 2 ** 20 ? `${(b / 1024).toFixed(0)} KiB` : `${(b / 2 ** 20).toFixed(1)} MiB`);

interface GraphNode {
  id: string;
  label: string;
  sub: string;
  colour: string;
  title: string;
}

/** Box size and spacing of the graph, in SVG units (CSS pixels at 100%). */
const BOX = { width: 190, height: 64 };
const SPACING = { nodesep: 30, ranksep: 56, edgesep: 12, margin: 20 };
/** Edge label box: about 6.5 units a character at the 11 px label font. */
const labelSize = (text: string) => ({ width: Math.ceil(text.length * 6.5) + 8, height: 14 });

export interface GraphLayout {
  width: number;
  height: number;
  /** top-left corner of each node's box (BOX sized) */
  boxes: Map<string, { x: number; y: number }>;
  /** each edge's route (first point on its source box, last on its target box) and label centre */
  edges: { from: string; to: string; tensor: string; points: { x: number; y: number }[]; label: { x: number; y: number } }[];
}

/**
 * Layered top-to-bottom layout of a DAG: `edges` may repeat a node pair (two tensors between the
 * same kernels); every edge keeps its own route and label.
 */
export function layoutGraph(nodes: readonly string[], edges: readonly { from: string; to: string; tensor: string; label: string }[]): GraphLayout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "TB", nodesep: SPACING.nodesep, ranksep: SPACING.ranksep, edgesep: SPACING.edgesep, marginx: SPACING.margin, marginy: SPACING.margin });
  for (const id of nodes) g.setNode(id, { width: BOX.width, height: BOX.height });
  edges.forEach((e, i) => g.setEdge(e.from, e.to, { ...labelSize(e.label), labelpos: "r", labeloffset: 4 }, `${i}`));
  dagre.layout(g);
  const boxes = new Map<string, { x: number; y: number }>();
  for (const id of nodes) {
    const n = g.node(id);
    boxes.set(id, { x: n.x - BOX.width / 2, y: n.y - BOX.height / 2 });
  }
  const routed = edges.map((e, i) => {
    const label = g.edge(e.from, e.to, `${i}`);
    return { from: e.from, to: e.to, tensor: e.tensor, points: (label.points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y })), label: { x: label.x ?? 0, y: label.y ?? 0 } };
  });
  const graph = g.graph();
  return { width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0), boxes, edges: routed };
}

/** An SVG path through `points`, its bends rounded (quadratic curves through the midpoints). */
function routePath(points: readonly { x: number; y: number }[]): string {
  const f = (v: number) => Math.round(v * 10) / 10;
  if (points.length === 0) return "";
  const [first, ...rest] = points;
  let d = `M${f(first!.x)},${f(first!.y)}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const a = rest[i]!;
    const b = rest[i + 1]!;
    d += ` Q${f(a.x)},${f(a.y)} ${f((a.x + b.x) / 2)},${f((a.y + b.y) / 2)}`;
  }
  const last = rest.at(-1);
  return last ? `${d} L${f(last.x)},${f(last.y)}` : d;
}

export function inspectHtml(d: InspectData): string {
  const { manifest: m } = d;
  const producer = new Map<string, string>();
  for (const i of m.quantisation.inputs) producer.set(i.name, "in");
  const nodes = new Map<string, GraphNode>();
  nodes.set("in", { id: "in", label: "inputs", sub: m.quantisation.inputs.map((i) => i.onnxName).join(", "), colour: IO_COLOUR, title: "model inputs" });
  const plan = new Map(d.plan.map((r) => [r.kernel, r]));
  const shapeOf = (t: string) => {
    const s = d.shapes.get(t);
    return s ? `[${s.join("×")}]` : "";
  };
  const edges: { from: string; to: string; tensor: string; label: string }[] = [];
  for (const k of m.kernels) {
    for (const t of k.inputs) {
      const p = producer.get(t);
      if (p !== undefined) edges.push({ from: p, to: k.name, tensor: t, label: shapeOf(t) });
    }
    for (const t of k.outputs) producer.set(t, k.name);
    const row = plan.get(k.name);
    const measured = d.measured?.get(k.name);
    const est = k.estimate[k.backend];
    nodes.set(k.name, {
      id: k.name,
      label: `${k.name} · ${k.backend}`,
      sub: row?.ops ?? k.kind,
      colour: colourOf(k.backend),
      title: `${k.name} (${k.backend})\n${row?.ops ?? ""}\n${row?.shapes ?? ""}\nestimated: ${est ? fmtS(est.proveSeconds) : "?"}${measured !== undefined ? `, measured ${fmtS(measured)}` : ""}\n${k.reason}`,
    });
  }
  nodes.set("out", { id: "out", label: "outputs", sub: m.quantisation.outputs.map((o) => o.onnxName).join(", "), colour: IO_COLOUR, title: "model outputs" });
  for (const o of m.quantisation.outputs) {
    const p = producer.get(o.name);
    if (p !== undefined) edges.push({ from: p, to: "out", tensor: o.name, label: shapeOf(o.name) });
  }
  const layout = layoutGraph([...nodes.keys()], edges);
  const { width, height } = layout;
  const W = BOX.width;
  const H = BOX.height;
  const edgeSvg = layout.edges
    .map((e) => {
      const committed = m.committedTensors.includes(e.tensor);
      return `<g><title>${esc(e.tensor)} ${esc(shapeOf(e.tensor))}${committed ? " (Poseidon-committed)" : ""}</title>
<path d="${routePath(e.points)}" fill="none" stroke="${committed ? "#9333ea" : "#94a3b8"}" stroke-width="2" marker-end="url(#arrow)"${committed ? ' stroke-dasharray="6 3"' : ""}/>
<text x="${Math.round(e.label.x)}" y="${Math.round(e.label.y) + 4}" text-anchor="middle" class="edge">${esc(shapeOf(e.tensor))}</text></g>`;
    })
    .join("\n");
  const nodeSvg = [...nodes.values()]
    .map((n) => {
      const p = layout.boxes.get(n.id)!;
      return `<g class="node"><title>${esc(n.title)}</title>
<rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="8" fill="${n.colour}"/>
<text x="${p.x + 10}" y="${p.y + 24}" class="label">${esc(n.label)}</text>
<text x="${p.x + 10}" y="${p.y + 44}" class="sub">${esc(n.sub.length > 28 ? n.sub.slice(0, 27) + "…" : n.sub)}</text></g>`;
    })
    .join("\n");
  const rows = d.plan
    .map((r) => {
      const measured = d.measured?.get(r.kernel);
      return `<tr><td>${esc(r.kernel)}</td><td>${esc(r.ops)}</td><td>${esc(r.shapes)}</td><td><span class="pill" style="background:${colourOf(r.backend)}">${r.backend}</span></td><td>${fmtS(r.estimate.proveSeconds)}</td><td>${measured !== undefined ? fmtS(measured) : "—"}</td><td>${fmtB(r.estimate.memoryBytes)}</td><td>${fmtB(r.estimate.proofBytes)}</td><td>${esc(r.reason)}</td></tr>`;
    })
    .join("\n");
  const used = [...new Set(m.kernels.map((k) => k.backend))];
  const counts = used.map((b) => `${m.kernels.filter((k) => k.backend === b).length} ${b}`).join(", ");
  const totalEst = d.plan.reduce((s, r) => s + r.estimate.proveSeconds, 0);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>zkc plan: ${esc(m.model.name)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #1f2937; }
h1 { font-size: 20px; margin: 0 0 4px; } .meta { color: #6b7280; margin-bottom: 16px; }
.legend span { display: inline-block; margin-right: 16px; } .sw { display: inline-block; width: 12px; height: 12px; border-radius: 3px; vertical-align: -1px; margin-right: 6px; }
svg { border: 1px solid #e5e7eb; border-radius: 8px; background: #f9fafb; max-width: 100%; height: auto; }
.label { fill: white; font-weight: 600; font-size: 14px; } .sub { fill: #e5e7eb; font-size: 12px; } .edge { fill: #475569; font-size: 11px; }
table { border-collapse: collapse; margin-top: 20px; width: 100%; } th, td { border-bottom: 1px solid #e5e7eb; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f3f4f6; } .pill { color: white; border-radius: 10px; padding: 1px 8px; font-size: 12px; }
</style></head>
<body>
<h1>${esc(m.model.name)}</h1>
<div class="meta">${m.kernels.length} kernels (${counts}) · estimated prove time ${fmtS(totalEst)} · scale 2^${m.quantisation.config.activationScale ?? "?"}${m.developmentPtau ? " · INSECURE development keys (forgeable)" : ""}</div>
<div class="legend">${used.map((b) => `<span><i class="sw" style="background:${colourOf(b)}"></i>${esc(b)}</span>`).join("")}<span><i class="sw" style="background:#9333ea"></i>Poseidon-committed tensor</span></div>
<svg id="graph" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#94a3b8"/></marker></defs>
${edgeSvg}
${nodeSvg}
</svg>
<table id="plan"><thead><tr><th>kernel</th><th>ops</th><th>shapes</th><th>backend</th><th>est. prove</th><th>measured</th><th>est. memory</th><th>est. proof</th><th>reason</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}

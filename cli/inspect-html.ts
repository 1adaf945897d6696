/**
 * The kernel graph as a self-contained HTML page: kernels as boxes coloured by backend, tensors
 * on the edges, estimated (and, after a prove, measured) costs, and the plan table below.
 */
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
  level: number;
  row: number;
  title: string;
}

export function inspectHtml(d: InspectData): string {
  const { manifest: m } = d;
  const producer = new Map<string, string>();
  for (const i of m.quantisation.inputs) producer.set(i.name, "in");
  const nodes = new Map<string, GraphNode>();
  const levelOf = new Map<string, number>([["in", 0]]);
  nodes.set("in", { id: "in", label: "inputs", sub: m.quantisation.inputs.map((i) => i.onnxName).join(", "), colour: IO_COLOUR, level: 0, row: 0, title: "model inputs" });
  const plan = new Map(d.plan.map((r) => [r.kernel, r]));
  const edges: { from: string; to: string; tensor: string }[] = [];
  for (const k of m.kernels) {
    let level = 1;
    for (const t of k.inputs) {
      const p = producer.get(t);
      if (p === undefined) continue;
      edges.push({ from: p, to: k.name, tensor: t });
      level = Math.max(level, levelOf.get(p)! + 1);
    }
    levelOf.set(k.name, level);
    for (const t of k.outputs) producer.set(t, k.name);
    const row = plan.get(k.name);
    const measured = d.measured?.get(k.name);
    const est = k.estimate[k.backend];
    nodes.set(k.name, {
      id: k.name,
      label: `${k.name} · ${k.backend}`,
      sub: row?.ops ?? k.kind,
      colour: colourOf(k.backend),
      level,
      row: 0,
      title: `${k.name} (${k.backend})\n${row?.ops ?? ""}\n${row?.shapes ?? ""}\nestimated: ${est ? fmtS(est.proveSeconds) : "?"}${measured !== undefined ? `, measured ${fmtS(measured)}` : ""}\n${k.reason}`,
    });
  }
  const outLevel = Math.max(...levelOf.values()) + 1;
  nodes.set("out", { id: "out", label: "outputs", sub: m.quantisation.outputs.map((o) => o.onnxName).join(", "), colour: IO_COLOUR, level: outLevel, row: 0, title: "model outputs" });
  for (const o of m.quantisation.outputs) {
    const p = producer.get(o.name);
    if (p !== undefined) edges.push({ from: p, to: "out", tensor: o.name });
  }
  // rows within a level, in execution order
  const perLevel = new Map<number, number>();
  for (const n of nodes.values()) {
    n.row = perLevel.get(n.level) ?? 0;
    perLevel.set(n.level, n.row + 1);
  }
  const W = 190;
  const H = 64;
  const GX = 70;
  const GY = 40;
  const maxRows = Math.max(...perLevel.values());
  const width = (outLevel + 1) * (W + GX) + 40;
  const height = maxRows * (H + GY) + 60;
  const pos = (n: GraphNode) => ({ x: 20 + n.level * (W + GX), y: 30 + n.row * (H + GY) });
  const shapeOf = (t: string) => {
    const s = d.shapes.get(t);
    return s ? `[${s.join("×")}]` : "";
  };
  const edgeSvg = edges
    .map((e) => {
      const a = pos(nodes.get(e.from)!);
      const b = pos(nodes.get(e.to)!);
      const x1 = a.x + W;
      const y1 = a.y + H / 2;
      const x2 = b.x;
      const y2 = b.y + H / 2;
      const mx = (x1 + x2) / 2;
      const committed = m.committedTensors.includes(e.tensor);
      return `<g><title>${esc(e.tensor)} ${esc(shapeOf(e.tensor))}${committed ? " (Poseidon-committed)" : ""}</title>
<path d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}" fill="none" stroke="${committed ? "#9333ea" : "#94a3b8"}" stroke-width="2" marker-end="url(#arrow)"${committed ? ' stroke-dasharray="6 3"' : ""}/>
<text x="${mx}" y="${(y1 + y2) / 2 - 6}" text-anchor="middle" class="edge">${esc(shapeOf(e.tensor))}</text></g>`;
    })
    .join("\n");
  const nodeSvg = [...nodes.values()]
    .map((n) => {
      const p = pos(n);
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

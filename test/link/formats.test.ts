/**
 * Formats: the JSON codec, program.json + weights.bin, manifest.json and proof.json envelopes.
 * Malformed files give a ZkcError naming the file and the field (never a crash).
 */
import { describe, expect, it } from "vitest";
import { ZkcError } from "../../compiler/errors.js";
import { decodeValue, encodeValue, fromBase64, toBase64 } from "../../runtime/link/codec.js";
import { decodeProgram, encodeProgram } from "../../runtime/link/program-file.js";
import { manifestDigest, parseManifest, serializeManifest, type Manifest } from "../../runtime/manifest.js";
import { loadProof, parseProof } from "../../runtime/proof.js";
import { runProgram, quantiseInput } from "../../runtime/witness.js";
import { clone, compile, fixtureModel, tinyClassifier } from "./helpers.js";

function zkcError(fn: () => unknown): ZkcError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ZkcError);
    return e as ZkcError;
  }
  throw new Error("expected a ZkcError");
}

describe("codec", () => {
  it("round-trips bigints, bytes and absent parts; rejects non-canonical spellings", () => {
    const x = { a: [1n, 0n, 2n ** 250n], b: Uint8Array.of(0, 255, 7), c: undefined, d: [undefined, "kind"], e: 3 };
    const back = decodeValue(JSON.parse(JSON.stringify(encodeValue(x)))) as typeof x;
    expect(back.a).toEqual(x.a);
    expect(Array.from(back.b)).toEqual([0, 255, 7]);
    expect(back.d).toEqual([undefined, "kind"]);
    expect(back.e).toBe(3);
    expect(() => decodeValue("0x01")).toThrow(/malformed field element/);
    expect(() => decodeValue("0xAB")).toThrow(/malformed field element/);
    expect(() => decodeValue("b64:A")).toThrow();
    expect(fromBase64(toBase64(Uint8Array.of(1, 2, 3, 4)))).toEqual(Uint8Array.of(1, 2, 3, 4));
  });

  it("base64 agrees with Node's Buffer on every length and accepts one spelling only", () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      const text = Buffer.from(bytes).toString("base64");
      expect(toBase64(bytes)).toBe(text);
      expect(Array.from(fromBase64(text))).toEqual(Array.from(bytes));
    }
    // Buffer accepts all of these; the codec must not (a changed spelling must not decode the same)
    for (const loose of ["AR==", "AQ", "AQ=", "AQ===", " AQ==", "AQ==\n", "A Q==", "AQ-_", "QUJD\t"]) {
      expect(() => fromBase64(loose), loose).toThrow(RangeError);
    }
    expect(() => decodeValue("b64:AR==")).toThrow();
  });
});

describe("program files", () => {
  it("lenet round-trips exactly (gathers, params) and runs to the same integers", () => {
    const m = fixtureModel("lenet");
    const p = m.calibration.program;
    const files = encodeProgram(p);
    const back = decodeProgram(files.program, files.weights);
    expect(back.prims.length).toBe(p.prims.length);
    const name = p.inputs[0]!;
    const q = new Map([[name, quantiseInput(p, name, m.input[name]!).values]]);
    const a = runProgram(p, q);
    const b = runProgram(back, q);
    for (const o of p.outputs) expect(Array.from(b.get(o)!)).toEqual(Array.from(a.get(o)!));
  });

  it("names the file and field of a malformed program or weights file", () => {
    const p = tinyClassifier(1).calibration.program;
    const files = encodeProgram(p);
    const doc = JSON.parse(new TextDecoder().decode(files.program));
    const enc = (d: unknown) => new TextEncoder().encode(JSON.stringify(d));
    const e1 = zkcError(() => decodeProgram(enc({ ...doc, prims: [{ ...doc.prims[0], m: "x" }] }), files.weights));
    expect(e1.message).toMatch(/program\.json.*prims\[0\]\.m/);
    const e2 = zkcError(() => decodeProgram(files.program, files.weights.subarray(0, 8)));
    expect(e2.message).toMatch(/weights\.bin/);
    const e3 = zkcError(() => decodeProgram(new TextEncoder().encode("{"), files.weights));
    expect(e3.message).toMatch(/program\.json/);
    const e4 = zkcError(() => decodeProgram(enc({ ...doc, prims: [{ ...doc.prims[0], a: "nope" }] }), files.weights));
    expect(e4.message).toMatch(/prims\[0\]\.a/);
  });
});

describe("manifest and proof envelopes", () => {
  it("a compiled manifest round-trips; its digest changes with any field", async () => {
    const c = await compile(tinyClassifier(1, false), { backend: "gkr" });
    const text = serializeManifest(c.manifest);
    const back = parseManifest(text);
    expect(manifestDigest(back)).toEqual(manifestDigest(c.manifest));
    const changed = clone(c.manifest) as Manifest;
    changed.kernels[0]!.reason += " ";
    expect(manifestDigest(changed)).not.toEqual(manifestDigest(c.manifest));
    expect(back.transcript.protocol).toBe("zkc/bundle/v1");
    expect(back.developmentPtau).toBe(false);
  });

  it("names the file and field of a malformed manifest", async () => {
    const c = await compile(tinyClassifier(1, false), { backend: "gkr" });
    const m = clone(c.manifest) as any;
    const cases: [(x: any) => void, RegExp][] = [
      [(x) => (x.version = 2), /field version/],
      [(x) => (x.kernels[0].backend = "Plonk!"), /kernels\[0\]\.backend/],
      [(x) => (x.weights.digest = "xyz"), /weights\.digest/],
      [(x) => (x.program.file = "../etc/passwd"), /program\.file/],
      [(x) => (x.quantisation.inputs[0].shape = [0]), /quantisation\.inputs\[0\]\.shape\[0\]/],
      [(x) => delete x.commitment, /field commitment/],
      [(x) => (x.kernels[1].from = 99), /kernels\[1\]\.to/],
    ];
    for (const [edit, re] of cases) {
      const bad = clone(m);
      edit(bad);
      const e = zkcError(() => parseManifest(bad, "out/manifest.json"));
      expect(e.message).toMatch(/out\/manifest\.json/);
      expect(e.message).toMatch(re);
    }
    expect(zkcError(() => parseManifest("{oops")).message).toMatch(/not JSON/);
  });

  it("proof envelope: a bad field is named; loadProof throws a ZkcError with the file", () => {
    expect(parseProof("{")).toMatchObject({ ok: false, field: "(document)" });
    expect(parseProof({ format: "zkc-proof", version: 1, manifestDigest: "00" })).toMatchObject({ ok: false, field: "manifestDigest" });
    const e = zkcError(() => loadProof('{"format":"zkc-proof","version":9}', "p.json"));
    expect(e.message).toMatch(/p\.json.*version/);
  });
});

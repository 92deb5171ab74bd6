// Runs one ONNX model with onnxruntime-node (CPU) for the Python tests.
// usage: node ort_run.mjs <request.json>
// request: {model, inputs: [{name, dtype, shape, file}], out_dir}; raw little-endian tensors.
// Writes <out_dir>/<output>.bin and <out_dir>/outputs.json ({name: {dtype, shape, file}}).
import fs from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';

const ARRAYS = { float32: Float32Array, int64: BigInt64Array, float16: Uint16Array, int32: Int32Array };

const req = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const session = await ort.InferenceSession.create(req.model, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
const feeds = {};
for (const inp of req.inputs) {
  const buf = fs.readFileSync(inp.file);
  const Ctor = ARRAYS[inp.dtype];
  if (!Ctor) throw new Error(`unsupported dtype ${inp.dtype}`);
  const data = new Ctor(buf.buffer, buf.byteOffset, buf.byteLength / Ctor.BYTES_PER_ELEMENT);
  feeds[inp.name] = new ort.Tensor(inp.dtype, data, inp.shape);
}
const results = await session.run(feeds);
const index = {};
fs.mkdirSync(req.out_dir, { recursive: true });
for (const [name, t] of Object.entries(results)) {
  const file = path.join(req.out_dir, `${name}.bin`);
  fs.writeFileSync(file, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  index[name] = { dtype: t.type, shape: t.dims, file };
}
fs.writeFileSync(path.join(req.out_dir, 'outputs.json'), JSON.stringify(index));
await session.release();

// Runs ui/live_decoder.js's forward pass under node for tests/test_decoder_export.py and for timing.
//
// Usage: node decode_harness.mjs <copy of live_decoder.js ending in .mjs> <input.json> <output.json>
// input.json: {"spec": ..., "codes": [[...]], "origin": [...], "directions": [[...]], "values": [[...]],
//              "repeats": 200}; origin/directions/values and repeats are optional.
// output.json: {"codes": [[pixels]], "sliders": [[pixels]], "decode_ms": {"codes": median, "sliders": median}}
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [modulePath, inputPath, outputPath] = process.argv.slice(2);
const { prepareDecoder, decode, sliderDecoder } = await import(pathToFileURL(modulePath).href);
const input = JSON.parse(readFileSync(inputPath, "utf8"));
const prepared = prepareDecoder(input.spec);

function median(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// Decodes each input once for the comparison, then `repeats` more times round-robin for the timing.
function run(inputs, decodeOne) {
  const outputs = inputs.map((one) => Array.from(decodeOne(one)));
  const samples = [];
  for (let r = 0; r < (input.repeats || 0); r++) {
    const started = performance.now();
    decodeOne(inputs[r % inputs.length]);
    samples.push(performance.now() - started);
  }
  return { outputs, ms: samples.length ? median(samples) : null };
}

const result = { decode_ms: {} };
const codes = run(input.codes, (code) => decode(prepared, code));
result.codes = codes.outputs;
result.decode_ms.codes = codes.ms;
if (input.values) {
  const decodeValues = sliderDecoder(prepared, input.origin, input.directions);
  const sliders = run(input.values, decodeValues);
  result.sliders = sliders.outputs;
  result.decode_ms.sliders = sliders.ms;
}
writeFileSync(outputPath, JSON.stringify(result));

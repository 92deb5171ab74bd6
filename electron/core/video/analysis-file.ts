import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../files/atomic-write.ts';
import path from 'node:path';
import { analysisFromJson, analysisToJson } from './analysis-json.ts';
import type { VideoAnalysis } from './video-analysis.ts';

/** `out.json` → `out.bin`: the sidecar sits next to the JSON. */
export function sidecarPathFor(jsonPath: string): string {
  const ext = path.extname(jsonPath);
  return path.join(path.dirname(jsonPath), `${path.basename(jsonPath, ext)}.bin`);
}

/** Indented JSON, but arrays of plain numbers stay on one line (curves have thousands). */
export function stringifyCompactArrays(value: unknown): string {
  return JSON.stringify(value, null, 1).replace(/\[\s+([-+\d.eE,\s]+?)\s+\]/g, (_, body: string) => `[${body.replace(/\s+/g, '')}]`);
}

/**
 * Writes the analysis as JSON, with the large arrays (colour histograms, filmstrip, waveform)
 * in a `.bin` sidecar next to it. Both are written to temporary names and renamed into place.
 * Returns the paths written.
 */
export async function writeAnalysisFile(a: VideoAnalysis, jsonPath: string): Promise<{ json: string; sidecar: string | null }> {
  const sidecarPath = sidecarPathFor(jsonPath);
  const { json, sidecar } = analysisToJson(a, { inline: false, binaryFile: path.basename(sidecarPath) });
  if (sidecar) writeFileAtomic(sidecarPath, sidecar);
  writeFileAtomic(jsonPath, `${stringifyCompactArrays(json)}\n`);
  return { json: jsonPath, sidecar: sidecar ? sidecarPath : null };
}

/** Reads what `writeAnalysisFile` wrote. */
export async function readAnalysisFile(jsonPath: string): Promise<VideoAnalysis> {
  let text: string;
  try {
    text = await readFile(jsonPath, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read the analysis file ${jsonPath}: ${(err as Error).message}`);
  }
  let value: { binaryFile?: string };
  try {
    value = JSON.parse(text) as { binaryFile?: string };
  } catch {
    throw new Error(`${jsonPath} is not valid JSON: it is damaged or not an analysis file.`);
  }
  let sidecar: Uint8Array | null = null;
  if (value && typeof value.binaryFile === 'string') {
    const bin = path.join(path.dirname(jsonPath), path.basename(value.binaryFile));
    try {
      sidecar = new Uint8Array(await readFile(bin));
    } catch {
      throw new Error(`The analysis ${jsonPath} needs its binary file ${bin}, which cannot be read: copy it along with the JSON.`);
    }
  }
  return analysisFromJson(value, sidecar);
}

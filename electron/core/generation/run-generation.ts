import { musicSyncReport, type MusicSyncReport } from '../eval/index.ts';
import { writeFileAtomic } from '../files/atomic-write.ts';
import { masterStereo, type MasterResult } from '../mastering/index.ts';
import { checkWritableDestination, stemPath } from '../files/output-paths.ts';
import type { GenerationRequest, MusicGenerator } from './music-generator.ts';

export interface GenerationOutput {
  /** The mastered mix WAV. */
  mix: string;
  /** Write the generator's stems (if it makes any) beside the mix: name.drums.wav … */
  stems?: boolean;
  /** Write the generator's MIDI file (if it makes one) here. */
  midi?: string | null;
  /** Measure the sync report of the mastered music against the plan (default true). */
  check?: boolean;
  targetLufs?: number;
}

export interface GenerationProgress {
  /** A generator stage, 'mastering' or 'checking'. */
  stage: string;
  /** Within the stage. */
  fraction: number;
  /** Of the whole generation. */
  overall: number;
}

export interface GenerationResult {
  generator: string;
  label: string;
  details: Record<string, unknown>;
  master: MasterResult;
  midiPath: string | null;
  sync: MusicSyncReport | null;
  files: Array<{ role: 'music' | 'stem' | 'midi'; path: string }>;
  warnings: string[];
}

/** Share of the whole job: the generator's stages, then mastering, then the sync check. */
const GENERATOR_SPAN = 0.85, MASTERING_END = 0.95;

/**
 * The one generation pipeline: plan (+ stored analysis) → generator → the shared mastering →
 * WAV (stems, MIDI) → sync check against the plan's accents. Every generator goes through it,
 * in the app's job and in the CLI alike, so loudness, files and reports mean the same thing.
 */
export async function runGeneration<P>(
  generator: MusicGenerator<P>, params: P,
  request: Omit<GenerationRequest, 'progress' | 'warn'> & { onProgress?: (p: GenerationProgress) => void; onWarning?: (w: string) => void },
  out: GenerationOutput,
): Promise<GenerationResult> {
  checkWritableDestination(out.mix);
  if (out.midi) checkWritableDestination(out.midi);
  const warnings: string[] = [];
  const warn = (w: string) => {
    warnings.push(w);
    request.onWarning?.(w);
  };
  const total = generator.stages.reduce((s, x) => s + x.weight, 0) || 1;
  const before = new Map<string, number>();
  let acc = 0;
  for (const s of generator.stages) {
    before.set(s.name, acc);
    acc += s.weight;
  }
  const report = (stage: string, fraction: number) => {
    const f = Math.max(0, Math.min(1, fraction));
    const own = generator.stages.find((s) => s.name === stage);
    const overall = stage === 'mastering' ? GENERATOR_SPAN + (MASTERING_END - GENERATOR_SPAN) * f
      : stage === 'checking' ? MASTERING_END + (1 - MASTERING_END) * f
        : own ? (GENERATOR_SPAN * (before.get(stage)! + own.weight * f)) / total : 0;
    request.onProgress?.({ stage, fraction: f, overall });
  };
  const music = await generator.generate({ ...request, progress: report, warn }, params);
  try {
    request.signal?.throwIfAborted();
    const master = await masterStereo(music.mix, {
      out: out.mix, sampleRate: music.sampleRate, fadeFrames: music.fadeFrames, signal: request.signal,
      stems: out.stems ? music.stems.map((s) => ({ name: s.name, source: s.source, out: stemPath(out.mix, s.name) })) : [],
      ...(out.targetLufs !== undefined ? { targetLufs: out.targetLufs } : {}),
      onProgress: (p) => report('mastering', p.fraction),
    });
    for (const w of master.warnings) warn(w);
    const midiPath = out.midi && music.midi ? out.midi : null;
    if (midiPath) writeFileAtomic(midiPath, music.midi!);
    let sync: MusicSyncReport | null = null;
    if (out.check !== false) {
      report('checking', 0);
      sync = await musicSyncReport(master.path, request.plan.accents, { signal: request.signal });
      report('checking', 1);
    }
    const files: GenerationResult['files'] = [
      { role: 'music', path: master.path },
      ...(midiPath ? [{ role: 'midi' as const, path: midiPath }] : []),
      ...Object.values(master.stems ?? {}).map((p) => ({ role: 'stem' as const, path: p })),
    ];
    return { generator: generator.name, label: music.label, details: music.details, master, midiPath, sync, files, warnings };
  } finally {
    await music.dispose();
  }
}

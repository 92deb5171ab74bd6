import { parseCliArgs } from '../args.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { ProgressBar } from '../progress-bar.ts';
import { analyzeRhythmFile } from '../../core/audio/analyze-file.ts';
import { RHYTHM_LR_COLUMNS } from '../../core/audio/rhythm-lr.ts';
import type { RhythmAnalysis } from '../../core/audio/rhythm-analyzer.ts';

function rows(m: Float32Array | null): number[][] | null {
  if (!m) return null;
  const out: number[][] = [];
  for (let i = 0; i < m.length; i += RHYTHM_LR_COLUMNS) out.push(Array.from(m.subarray(i, i + RHYTHM_LR_COLUMNS)));
  return out;
}

/** The stable JSON shape of `v2m rhythm --json`. */
export function rhythmJson(a: RhythmAnalysis) {
  return {
    sampleRate: a.sampleRate,
    hopLength: a.hopLength,
    durationSec: a.durationSec,
    onsetStrength: Array.from(a.onsetStrength),
    onsets: Array.from(a.onsets),
    tempo: a.tempo,
    beats: Array.from(a.beats),
    odfLR: Array.from(a.odfLR),
    melLR: rows(a.melLR),
    temLR: rows(a.temLR),
    notes: a.notes,
  };
}

const fmtTimes = (t: Float64Array, max = 12) =>
  `${Array.from(t.subarray(0, max), (v) => v.toFixed(3)).join(' ')}${t.length > max ? ` … (${t.length})` : ''}`;

export const rhythmCommand: CliCommand = {
  name: 'rhythm',
  summary: 'musical rhythm of an audio or video file: onset strength, onsets, tempo, beats, ODF/Mel/Tem_LR',
  usage: [
    'v2m rhythm <audio-or-video> [--json] [--fast]',
    '',
    '  --json   print machine-readable JSON on stdout (sampleRate, hopLength, onsetStrength, onsets,',
    '           tempo, beats, odfLR, melLR, temLR; times in seconds)',
    '  --fast   skip melLR and temLR (null in the JSON)',
    '',
    'Analysis follows librosa 0.11 at 44100 Hz, hop 512; odfLR is Diff-V2M\'s one-value-per-second ODF.',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' }, fast: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('rhythm takes exactly one audio or video file');
    const bar = new ProgressBar(ctx.stderr, ctx.isTTY);
    let a: RhythmAnalysis;
    try {
      a = await analyzeRhythmFile(positionals[0]!, {
        signal: ctx.signal,
        melLR: !values.fast,
        temLR: !values.fast,
        onProgress: (p) => bar.update(p.stage, p.fraction),
      });
    } finally {
      bar.done();
    }
    if (values.json) {
      ctx.stdout.write(`${JSON.stringify(rhythmJson(a))}\n`);
      return 0;
    }
    const odf = Array.from(a.odfLR, (v) => v.toFixed(2)).join(' ');
    const lines = [
      positionals[0]!,
      `  audio      ${a.durationSec.toFixed(3)} s analysed at ${a.sampleRate} Hz, hop ${a.hopLength} (${a.onsetStrength.length} frames)`,
      `  tempo      ${a.tempo ? `${a.tempo.toFixed(2)} BPM` : 'none (no onset energy)'}`,
      `  onsets     ${a.onsets.length}${a.onsets.length ? `: ${fmtTimes(a.onsets)}` : ''}`,
      `  beats      ${a.beats.length}${a.beats.length ? `: ${fmtTimes(a.beats)}` : ''}`,
      `  odfLR      ${odf.length > 200 ? `${odf.slice(0, 200)} …` : odf}`,
      `  melLR      ${a.melLR ? `${a.melLR.length / RHYTHM_LR_COLUMNS} × ${RHYTHM_LR_COLUMNS}` : 'not computed'}`,
      `  temLR      ${a.temLR ? `${a.temLR.length / RHYTHM_LR_COLUMNS} × ${RHYTHM_LR_COLUMNS}` : 'not computed'}`,
      ...a.notes.map((n) => `  note       ${n}`),
    ];
    ctx.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};

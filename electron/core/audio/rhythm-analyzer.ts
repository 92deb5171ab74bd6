import { beatTrack } from './beat-track.ts';
import { blockResizeNormalize } from './block-resize.ts';
import { applyMel, htkMelFilterbank, slaneyMelFilterbank } from './mel.ts';
import { odfLR } from './odf-lr.ts';
import { framesToTime, onsetDetect } from './onset-detect.ts';
import { onsetStrengthFromSpectrogram } from './onset-strength.ts';
import { powerToDbInPlace } from './power-to-db.ts';
import { RHYTHM_LR_COLUMNS, secondsOf } from './rhythm-lr.ts';
import { SpectrogramBuilder, type Spectrogram } from './spectrogram.ts';
import { TemEnvelopeBuilder } from './tem-envelope.ts';
import { PowerSpectrogramStream, stftFrameCount } from './stft.ts';
import { forEachTempogramColumn } from './tempogram.ts';

export interface RhythmAnalysisOptions {
  /** Analysis rate; Diff-V2M's ODF is defined at 44100 Hz. */
  sampleRate?: number;
  melLR?: boolean;
  temLR?: boolean;
  /**
   * Tem_LR needs the whole hop-128 mel spectrogram (as many bytes as the mono audio) before its
   * dB floor is known; beyond this many seconds the rows go to a temporary file instead of memory.
   */
  temLrMemorySeconds?: number;
  /** Folder for that temporary file (default: the OS temp folder). */
  tempDir?: string;
  /** Total samples, when known, to size buffers once. */
  expectedSamples?: number;
}

export interface RhythmAnalysis {
  sampleRate: number;
  hopLength: number;
  samples: number;
  durationSec: number;
  /** librosa onset_strength (mean aggregation), one value per hop. */
  onsetStrength: Float32Array;
  /** onset_detect on that envelope, seconds. */
  onsets: Float64Array;
  /** beat_track tempo (BPM) from the median envelope; 0 when there is no onset energy. */
  tempo: number;
  /** beat_track beats, seconds. */
  beats: Float64Array;
  /** Diff-V2M ODF_LR, one value per second (no 30 s crop). */
  odfLR: Float32Array;
  /** Mel_LR / Tem_LR, seconds × 16 row-major; null when not requested or skipped (see notes). */
  melLR: Float32Array | null;
  temLR: Float32Array | null;
  notes: string[];
}

export const MIN_ANALYSIS_SAMPLES = 2048;
const HOP = 512;
const TEM_HOP = 128;
const N_FFT = 2048;

/** What the onset envelope gives: RhythmAnalysis's onset, beat and ODF fields. */
export type Pulse = Pick<RhythmAnalysis, 'onsetStrength' | 'onsets' | 'tempo' | 'beats' | 'odfLR'>;

/**
 * Onsets, beats and ODF_LR from librosa's mel dB front end (n_fft 2048, hop 512, Slaney mel,
 * zero-padded centre, power_to_db with top_db 80) of `samples` samples: for callers that
 * already have that spectrogram and need not compute it again.
 */
export function pulseFromMelDb(mel: Spectrogram & { data: Float32Array }, samples: number, sampleRate: number): Pulse {
  const env = onsetStrengthFromSpectrogram(mel, { hopLength: HOP, nFft: N_FFT });
  const envMedian = onsetStrengthFromSpectrogram(mel, { hopLength: HOP, nFft: N_FFT, aggregate: 'median' });
  const bt = beatTrack(envMedian, { sampleRate, hopLength: HOP });
  return {
    onsetStrength: env,
    onsets: framesToTime(onsetDetect(env, { sampleRate, hopLength: HOP }), sampleRate, HOP),
    tempo: bt.bpm,
    beats: framesToTime(bt.beats, sampleRate, HOP),
    odfLR: odfLR(env, { sampleRate, hopLength: HOP, samples }).values,
  };
}

/**
 * One streaming pass over mono audio: the librosa mel front end (hop 512) for the onset
 * envelopes, plus the torchaudio mel for Mel_LR and a hop-128 mel for Tem_LR when asked.
 * The audio itself is never kept.
 */
export class RhythmAnalyzer {
  readonly sampleRate: number;
  private readonly main: PowerSpectrogramStream;
  private readonly mainMel: SpectrogramBuilder;
  private readonly melLrStream: PowerSpectrogramStream | null = null;
  private readonly melLrRows: SpectrogramBuilder | null = null;
  private readonly temStream: PowerSpectrogramStream | null = null;
  private readonly temRows: TemEnvelopeBuilder | null = null;
  private readonly notes: string[] = [];
  private samples = 0;

  constructor(private readonly o: RhythmAnalysisOptions = {}) {
    const sr = (this.sampleRate = o.sampleRate ?? 44100);
    if (!Number.isInteger(sr) || sr < 4000) throw new RangeError(`Analysis sample rate must be an integer ≥ 4000 Hz, got ${sr}.`);
    const expected = o.expectedSamples ?? 0;
    const slaney = slaneyMelFilterbank(sr, N_FFT);
    this.mainMel = new SpectrogramBuilder(128, expected ? stftFrameCount(expected, { nFft: N_FFT, hopLength: HOP, center: true, padMode: 'constant' }) + 2 : 1024);
    const mainMel = this.mainMel;
    this.main = new PowerSpectrogramStream({ nFft: N_FFT, hopLength: HOP, center: true, padMode: 'constant' }, (p) => {
      applyMel(slaney, p, mainMel.nextRow());
      mainMel.commit();
    });
    if (o.melLR ?? true) {
      // torchaudio mel → dB per element, then means of 8-band groups: all Mel_LR needs (see blockResizeNormalize).
      const htk = htkMelFilterbank(sr, N_FFT);
      const rows = (this.melLrRows = new SpectrogramBuilder(RHYTHM_LR_COLUMNS, expected ? Math.ceil(expected / HOP) + 2 : 1024));
      const mel = new Float64Array(128);
      const group = 128 / RHYTHM_LR_COLUMNS;
      this.melLrStream = new PowerSpectrogramStream({ nFft: N_FFT, hopLength: HOP, center: true, padMode: 'reflect' }, (p) => {
        applyMel(htk, p, mel);
        const row = rows.nextRow();
        for (let c = 0; c < RHYTHM_LR_COLUMNS; c++) {
          let s = 0;
          for (let k = 0; k < group; k++) s += 10 * Math.log10(Math.max(1e-10, Math.fround(mel[c * group + k]!)));
          row[c] = s / group;
        }
        rows.commit();
      });
    }
    if (o.temLR ?? true) {
      const rows = (this.temRows = new TemEnvelopeBuilder({
        bins: 128,
        nFft: N_FFT,
        hopLength: TEM_HOP,
        memoryRows: Math.ceil(((o.temLrMemorySeconds ?? 60) * sr) / TEM_HOP),
        ...(o.tempDir ? { tempDir: o.tempDir } : {}),
      }));
      const row = new Float32Array(128);
      this.temStream = new PowerSpectrogramStream({ nFft: N_FFT, hopLength: TEM_HOP, center: true, padMode: 'constant' }, (p) => {
        applyMel(slaney, p, row);
        rows.pushRow(row);
      });
    }
  }

  /** Releases buffers and any temporary file (finish() does this too). */
  dispose(): void {
    this.temRows?.dispose();
  }

  get samplesPushed(): number {
    return this.samples;
  }

  push(mono: Float32Array): void {
    this.samples += mono.length;
    this.main.push(mono);
    this.melLrStream?.push(mono);
    this.temStream?.push(mono);
  }

  finish(): RhythmAnalysis {
    const sr = this.sampleRate;
    if (this.samples < MIN_ANALYSIS_SAMPLES) {
      throw new RangeError(
        `The audio is too short to analyse: ${this.samples} samples (${((this.samples / sr) * 1000).toFixed(1)} ms); at least ${MIN_ANALYSIS_SAMPLES} samples (${((MIN_ANALYSIS_SAMPLES / sr) * 1000).toFixed(0)} ms) are needed.`,
      );
    }
    this.main.finish();
    const mel = this.mainMel.build();
    powerToDbInPlace(mel.data);
    const pulse = pulseFromMelDb(mel, this.samples, sr);
    const seconds = secondsOf(this.samples, sr);
    let melLR: Float32Array | null = null;
    if (this.melLrStream && this.melLrRows) {
      this.melLrStream.finish();
      const rows = this.melLrRows.build();
      melLR = blockResizeNormalize(rows.data, rows.frames, RHYTHM_LR_COLUMNS, seconds, RHYTHM_LR_COLUMNS);
    }
    let temLR: Float32Array | null = null;
    if (this.temStream && this.temRows) {
      this.temStream.finish();
      if (this.temRows.spilled) this.notes.push('temLR: the hop-128 mel spectrogram was kept in a temporary file to bound memory.');
      const env128 = this.temRows.finish();
      const win = 384;
      const group = win / RHYTHM_LR_COLUMNS;
      const grouped = new Float32Array(env128.length * RHYTHM_LR_COLUMNS);
      forEachTempogramColumn(env128, win, (ac, t) => {
        for (let c = 0; c < RHYTHM_LR_COLUMNS; c++) {
          let s = 0;
          for (let k = 0; k < group; k++) s += ac[c * group + k]!;
          grouped[t * RHYTHM_LR_COLUMNS + c] = s / group;
        }
      });
      temLR = blockResizeNormalize(grouped, env128.length, RHYTHM_LR_COLUMNS, seconds, RHYTHM_LR_COLUMNS);
    }
    return {
      sampleRate: sr,
      hopLength: HOP,
      samples: this.samples,
      durationSec: this.samples / sr,
      ...pulse,
      melLR,
      temLR,
      notes: [...this.notes],
    };
  }
}

/** Analyses in-memory mono PCM. */
export function analyzeRhythm(mono: Float32Array, o: RhythmAnalysisOptions = {}): RhythmAnalysis {
  const a = new RhythmAnalyzer({ ...o, expectedSamples: mono.length });
  a.push(mono);
  return a.finish();
}

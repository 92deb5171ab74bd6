import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedData } from '../../helpers/paths.ts';

export const referenceFixtures = path.join(sharedData, 'reference-fixtures');
export const librosaTestData = path.join(sharedData, 'librosa-test-data');
export const madmomData = path.join(sharedData, 'madmom');

export interface LibrosaSrFixture {
  n_samples: number;
  mel_shape: [number, number];
  mel_db_frame10_first8: number[];
  mel_db_max: number;
  mel_db_min: number;
  onset_strength: number[];
  onset_detect_frames: number[];
  onset_detect_time: number[];
  onset_detect_from_y_frames: number[];
  onset_strength_median: number[];
  tempo_from_median_env: number[];
  beat_track_bpm: number[];
  beat_track_frames: number[];
  beat_track_from_y_frames: number[];
  tempogram_shape: [number, number];
  tempogram_col100_first16: number[];
  tempogram_mean_over_time_first16: number[];
  diffv2m_odf_peaks: number[];
  diffv2m_odf_prominences: number[];
  diffv2m_odf_per_sec: number[];
}

export function librosaFixtures(): { sr22050: LibrosaSrFixture; sr44100: LibrosaSrFixture } {
  return JSON.parse(readFileSync(path.join(referenceFixtures, 'librosa_0.11_fixtures.json'), 'utf8'));
}

/** Raw little-endian float32 mono file from the reference fixtures. */
export function readF32(file: string): Float32Array {
  const buf = readFileSync(file);
  const out = new Float32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

export function clickTrack(sr: 22050 | 44100): Float32Array {
  return readF32(path.join(referenceFixtures, `click_${sr}.f32`));
}

import { describe, expect, it } from 'vitest';
import { hasPreset, loadSoundFont, STYLES, STYLE_NAMES, styleByName, styleForMood } from '../../../electron/core/compose/index.ts';

describe('style presets', () => {
  it('has five styles, each using only programs and a drum kit that exist in MuseScore General Lite', async () => {
    expect(STYLE_NAMES).toEqual(['cinematic', 'electronic', 'acoustic', 'lofi', 'ambient']);
    const bank = await loadSoundFont();
    for (const s of Object.values(STYLES)) {
      const programs = [s.bass.program, s.harmony.program, s.lead.program, s.hit.program, ...(s.pad ? [s.pad.program] : []), ...(s.darkLead ? [s.darkLead] : [])];
      for (const p of programs) expect(hasPreset(bank, p.program, { bankMSB: p.bankMSB }), `${s.name} program ${p.program}`).toBe(true);
      expect(hasPreset(bank, s.drumKit, { drums: true }), `${s.name} kit ${s.drumKit}`).toBe(true);
      for (const lane of Object.values(s.drums)) for (const pattern of lane) expect(pattern).toMatch(/^[xo.]{16}$/);
      expect(s.tempoRange[0]).toBeGreaterThanOrEqual(60);
      expect(s.tempoRange[1]).toBeLessThanOrEqual(180);
    }
    expect(hasPreset(bank, 127, { bankMSB: 99 })).toBe(false);
  });

  it('finds styles by loose names and picks one from the mood', () => {
    expect(styleByName('Lo-Fi Hip-Hop').name).toBe('lofi');
    expect(styleByName('AMBIENT').name).toBe('ambient');
    expect(() => styleByName('polka')).toThrow(/Choose one of: cinematic, electronic, acoustic, lofi, ambient/);
    expect(styleForMood(0, 0.9)).toBe('electronic');
    expect(styleForMood(0.5, -0.9)).toBe('ambient');
    expect(styleForMood(-0.5, 0)).toBe('cinematic');
  });
});

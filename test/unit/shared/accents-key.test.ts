import { describe, expect, it } from 'vitest';
import { accentsKey } from '../../../electron/shared/accents-key.ts';

describe('accentsKey', () => {
  const plan = [{ timeSec: 1.001, strength: 1 }, { timeSec: 3.5, strength: 0.4 }];

  it('is the same for the same accents in any order, and below what a user can edit', () => {
    expect(accentsKey([...plan].reverse())).toBe(accentsKey(plan));
    expect(accentsKey([{ timeSec: 1.001 + 1e-9, strength: 1 }, plan[1]!])).toBe(accentsKey(plan));
    expect(accentsKey(plan)).toMatch(/^a2-[0-9a-f]{16}$/);
    expect(accentsKey([])).toMatch(/^a0-/);
  });

  it('changes when an accent moves, changes strength, is added or removed', () => {
    const k = accentsKey(plan);
    expect(accentsKey([{ timeSec: 1.034, strength: 1 }, plan[1]!])).not.toBe(k);
    expect(accentsKey([plan[0]!, { timeSec: 3.5, strength: 0.6 }])).not.toBe(k);
    expect(accentsKey([...plan, { timeSec: 4, strength: 1 }])).not.toBe(k);
    expect(accentsKey([plan[0]!])).not.toBe(k);
  });

  it('refuses a time that is not a number', () => {
    expect(() => accentsKey([{ timeSec: Number.NaN, strength: 1 }])).toThrow(/non-finite/);
  });
});

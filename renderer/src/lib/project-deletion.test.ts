import { describe, expect, it } from 'vitest';
import type { ProjectDeletionPreview } from '../../../electron/shared/domain.ts';
import { deletionSummary } from './project-deletion.ts';

const preview = (o: Partial<ProjectDeletionPreview>): ProjectDeletionPreview => ({
  project: { id: 'p', name: 'Promo', createdAt: 0, updatedAt: 0, openedAt: null, clipCount: 1 },
  clips: [{ id: 'c', path: '/m/a.mov' }], generations: [], exports: [], removes: [], keeps: ['/m/a.mov'], runningJobs: 0, ...o,
});

describe('the delete confirmation', () => {
  it('counts what goes, says which files are removed and what stays', () => {
    const s = deletionSummary(preview({
      generations: [{ id: 'g', clipId: 'c', generator: 'composer', createdAt: 0, files: ['/d/g.wav', '/d/g.mid'] }],
      exports: [{ id: 'e', kind: 'wav', path: '/out/m.wav', createdAt: 0 }], removes: ['/d/g.wav', '/d/g.mid'], keeps: ['/m/a.mov', '/out/m.wav'],
    }));
    expect(s.headline).toBe('This removes 1 clip, 1 generation, 1 export record and the rhythm plans with their undo history; 2 files the app made are removed. It cannot be undone.');
    expect(s.keepsNote).toBe('Kept on disk: 2 files (your source media and every export).');
  });

  it('says when nothing on disk is removed, and why a busy project cannot go', () => {
    const s = deletionSummary(preview({ runningJobs: 2 }));
    expect(s.headline).toMatch(/; no files are removed\. It cannot be undone\.$/);
    expect(s.busy).toBe('2 jobs still running for this project: cancel or wait for them, then delete.');
  });
});

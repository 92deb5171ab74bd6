import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Test media published by other projects, never copied into the repo. */
export const sharedData = path.resolve(projectRoot, '../shared/data');
export const pysceneResources = path.join(sharedData, 'pyscenedetect/tests/resources');
export const testVideo = path.join(pysceneResources, 'testvideo.mp4');

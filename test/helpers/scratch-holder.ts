// A process that holds a scratch folder until its stdin closes: the "live owner" of sweep tests.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeScratchDir } from '../../electron/core/scratch/index.ts';

const dir = makeScratchDir('holder-');
writeFileSync(path.join(dir, 'work.bin'), Buffer.alloc(1024));
process.stdout.write(`${path.dirname(dir)}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));

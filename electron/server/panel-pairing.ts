import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../core/files/atomic-write.ts';

// Pairing: the app shows a short code; a panel sends it once and receives a long token it keeps.
// Only hashes of tokens are stored, so the file leaks nothing usable. A code is used up by a
// successful pairing, and after 5 wrong tries it is replaced, so guessing six digits is hopeless
// for a process that cannot see the app's window.

export const PAIRING_FILE = 'panel-tokens.json';
const MAX_WRONG_CODES = 5;

export class PairingError extends Error {
  constructor(readonly code: 'BAD_CODE' | 'PAIRING_LOCKED' | 'NOT_PAIRED', message: string) {
    super(message);
    this.name = 'PairingError';
  }
}

interface StoredPanel {
  client: string;
  tokenSha256: string;
  pairedAt: number;
}

export interface PairingCode {
  code: string;
  /** When it was made: the app may show its age. */
  createdAt: number;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export class PairingBook {
  private current: PairingCode;
  private wrong = 0;
  private panels: StoredPanel[];

  private readonly listeners = new Set<(code: PairingCode) => void>();

  constructor(private readonly file: string, private readonly now: () => number = Date.now) {
    this.panels = readPanels(file);
    this.current = this.freshCode();
  }

  /** The code to show the user now. */
  code(): PairingCode {
    return this.current;
  }

  /** Called with each new code (after a pairing or a lockout), so the app can show it. */
  onCodeChange(listener: (code: PairingCode) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Trades the shown code for a token; the code is used up either way it succeeds. */
  pair(code: string, client: string): string {
    const shown = this.code();
    const given = Buffer.from(code.trim());
    const want = Buffer.from(shown.code);
    if (given.length !== want.length || !timingSafeEqual(given, want)) {
      this.wrong++;
      if (this.wrong >= MAX_WRONG_CODES) {
        this.renew();
        throw new PairingError('PAIRING_LOCKED', 'Too many wrong pairing codes; V2M Studio now shows a new code. Type the new one.');
      }
      throw new PairingError('BAD_CODE', 'That pairing code is not the one V2M Studio shows. Check the code the app shows now (each code works once).');
    }
    const token = randomBytes(24).toString('base64url');
    this.panels.push({ client: client.slice(0, 80), tokenSha256: sha256(token), pairedAt: this.now() });
    writeFileAtomic(this.file, `${JSON.stringify({ panels: this.panels }, null, 2)}\n`, { mode: 0o600, mkdir: true });
    this.renew();
    return token;
  }

  /** The client name a token was issued to, or a NOT_PAIRED error. */
  verify(token: string | null | undefined): string {
    if (token) {
      const h = Buffer.from(sha256(token), 'hex');
      for (const p of this.panels) {
        if (timingSafeEqual(h, Buffer.from(p.tokenSha256, 'hex'))) return p.client;
      }
    }
    throw new PairingError('NOT_PAIRED', 'This panel is not paired with V2M Studio (or its pairing was removed). Enter the pairing code the app shows.');
  }

  pairedClients(): string[] {
    return this.panels.map((p) => p.client);
  }

  /** Forgets every panel (they must pair again). */
  revokeAll(): void {
    this.panels = [];
    writeFileAtomic(this.file, `${JSON.stringify({ panels: [] }, null, 2)}\n`, { mode: 0o600, mkdir: true });
  }

  private renew(): void {
    this.current = this.freshCode();
    for (const l of this.listeners) l(this.current);
  }

  private freshCode(): PairingCode {
    this.wrong = 0;
    return { code: String(randomInt(0, 1_000_000)).padStart(6, '0'), createdAt: this.now() };
  }
}

function readPanels(file: string): StoredPanel[] {
  if (!existsSync(file)) return [];
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { panels?: unknown };
    if (!Array.isArray(data.panels)) return [];
    return data.panels.filter((p): p is StoredPanel =>
      typeof p === 'object' && p !== null && typeof (p as StoredPanel).client === 'string'
      && typeof (p as StoredPanel).tokenSha256 === 'string' && /^[0-9a-f]{64}$/.test((p as StoredPanel).tokenSha256));
  } catch {
    // A damaged file only means panels pair again; never refuse to start over it.
    return [];
  }
}

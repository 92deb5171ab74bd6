/** A one-line progress bar on a TTY; silent elsewhere so logs and pipes stay clean. */
export class ProgressBar {
  private lastDraw = 0;
  private lastText = '';

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly enabled: boolean,
    private readonly width = 30,
  ) {}

  update(stage: string, fraction: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && fraction < 1) return;
    this.lastDraw = now;
    const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
    const filled = Math.round(f * this.width);
    const text = `${stage.padEnd(12)} [${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}] ${(f * 100).toFixed(0).padStart(3)}%`;
    if (text === this.lastText) return;
    this.lastText = text;
    this.out.write(`\r${text}`);
  }

  /** Clears the line so the next output starts clean. */
  done(): void {
    if (!this.enabled || !this.lastText) return;
    this.out.write(`\r${' '.repeat(this.lastText.length)}\r`);
    this.lastText = '';
  }
}

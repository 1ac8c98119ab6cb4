/**
 * The demo's steps: a numbered title, one line on what the step is on a real Snowflake account, the step's own
 * output (indented), and its time. A failing step stops the demo with the step's name, its error and its output.
 */
import { Chalk } from 'chalk';

export class DemoStepError extends Error {
  constructor(readonly step: string, override readonly cause: unknown, readonly output: string) {
    super(`step "${step}" failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** A CLI call that exited non-zero, with what it printed. */
export class CommandFailed extends Error {
  constructor(readonly command: string, readonly code: number, readonly output: string) {
    super(`\`${command}\` exited with code ${code}`);
  }
}

export interface StepContext {
  /** Prints one indented line under the step. */
  say(line: string): void;
  write(text: string): void;
}

export class Narrator {
  private index = 0;
  readonly style: InstanceType<typeof Chalk>;

  constructor(private readonly out: { write(text: string): unknown; isTTY?: boolean }, private readonly total: number, color: boolean) {
    this.style = new Chalk({ level: color ? 1 : 0 });
  }

  write = (text: string): void => {
    this.out.write(text);
  };

  line(text = ''): void {
    this.write(`${text}\n`);
  }

  async step<T>(title: string, realAccount: string, run: (ctx: StepContext) => Promise<T>): Promise<T> {
    this.index += 1;
    const { style } = this;
    this.line();
    this.line(style.bold(`▶ [${this.index}/${this.total}] ${title}`));
    this.line(style.dim(`  On a real account: ${realAccount}`));
    const started = Date.now();
    const ctx: StepContext = { say: (l) => this.line(`  ${l}`), write: this.write };
    try {
      const result = await run(ctx);
      const ms = Date.now() - started;
      this.line(style.green(`  ✔ ${title} (${(ms / 1000).toFixed(1)} s)`));
      return result;
    } catch (error) {
      const output = error instanceof CommandFailed ? error.output : ((error as { output?: string }).output ?? '');
      throw new DemoStepError(`[${this.index}/${this.total}] ${title}`, error, output);
    }
  }

  /** The failure report: which step, why, and (when the CLI's output was captured) its output again. */
  failure(error: DemoStepError): void {
    const { style } = this;
    this.line();
    this.line(style.red.bold(`✖ Demo failed at step ${error.step}`));
    this.line(style.red(`  ${error.cause instanceof Error ? error.cause.message : String(error.cause)}`));
    if (error.output.trim()) {
      this.line('  Output of the failing step:');
      for (const l of error.output.trimEnd().split('\n')) this.line(`  │ ${l}`);
    }
    if (error.cause instanceof Error && !(error.cause instanceof CommandFailed) && error.cause.stack && process.env.DEMO_DEBUG) this.line(error.cause.stack);
  }
}

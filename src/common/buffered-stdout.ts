/** Flush at once past this many characters, so a burst cannot grow the buffer without bound. */
const MAX_BUFFERED = 64 * 1024;

/**
 * Lines for stdout gathered over one event loop turn and written with one call.
 *
 * Writing to a pipe or a file is a synchronous system call per write in Node; one access-log
 * line per request made it the largest single cost of logging. Lines keep their order and are
 * written before the process exits (on 'exit', which also follows an uncaught exception); only a
 * SIGKILL can drop what one turn gathered.
 */
export class BufferedStdout {
  private chunks: string[] = [];
  private size = 0;
  private scheduled = false;

  constructor(private readonly out: { write(text: string): unknown } = process.stdout) {
    process.on('exit', () => this.flush());
  }

  write(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= MAX_BUFFERED) {
      this.flush();
    } else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.chunks.length === 0) return;
    const text = this.chunks.length === 1 ? this.chunks[0] : this.chunks.join('');
    this.chunks = [];
    this.size = 0;
    this.out.write(text);
  }
}

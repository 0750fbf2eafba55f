/** A failure the CLI reports in one line with its own exit code (2: usage or configuration). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

// Placeholder entry so the package builds; the CLI shell is built in the Foundation issue.
export async function main(_argv: string[]): Promise<number> {
  process.stdout.write('batch-snowflake\n');
  return 0;
}

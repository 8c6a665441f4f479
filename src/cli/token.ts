import { configOrExit } from '../process-lifecycle';
import { loadAgencies } from '../access/agreements';
import { mintDevToken } from '../auth/dev-trust';

/** `npm run token -- --agency suzhou-psb --role case-officer [--subject s] [--ttl seconds] [--division 320583 …]`: a development token. */
async function main(): Promise<void> {
  const config = configOrExit();
  const args = process.argv.slice(2);
  const values = (flag: string) => args.flatMap((a, i) => (a === flag && args[i + 1] ? [args[i + 1]] : []));
  const ttl = values('--ttl')[0];
  const token = await mintDevToken(config.dataDir, loadAgencies(config.agreementsFile), {
    agency: values('--agency')[0] ?? '', roles: values('--role'), subject: values('--subject')[0], ttlSeconds: ttl ? Number(ttl) : undefined,
    divisions: values('--division').length ? values('--division') : undefined,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});

import { operationNames, SERVICE_NAMES, type ServiceName } from '../protocol/index.js';
import { SERVICES } from '../services/index.js';

/**
 * `iamlocal coverage [SERVICE…] [--markdown]`: every operation of each service model, and
 * whether iamlocal implements it (a handler and an authorization rule).
 */
export function runCoverageCommand(argv: string[]): number {
  const markdown = argv.includes('--markdown');
  const asked = argv.filter((a) => !a.startsWith('--'));
  const services = (asked.length ? asked : SERVICE_NAMES) as ServiceName[];
  for (const s of services) {
    if (!SERVICE_NAMES.includes(s)) {
      process.stderr.write(`iamlocal coverage: unknown service '${s}' (one of ${SERVICE_NAMES.join(', ')})\n`);
      return 2;
    }
  }
  const out: string[] = [];
  for (const service of services) {
    const def = SERVICES[service];
    const ops = operationNames(service);
    const done = ops.filter((op) => def?.operations[op]?.authorize);
    if (markdown) {
      out.push(`### ${service.toUpperCase()}: ${done.length} of ${ops.length} operations`, '', '| operation | implemented |', '| --- | --- |');
      for (const op of ops) out.push(`| ${op} | ${done.includes(op) ? 'yes' : 'no'} |`);
      out.push('');
    } else {
      out.push(`${service}: ${done.length}/${ops.length} operations implemented`);
      for (const op of ops) out.push(`  ${done.includes(op) ? '✓' : ' '} ${op}`);
    }
  }
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}

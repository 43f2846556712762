import { readFileSync } from 'node:fs';

/**
 * CPU time a process has used so far (user + system), in ms, from /proc/PID/stat (Linux;
 * clock ticks of 10 ms). CPU per request is far less disturbed by other load on a shared
 * machine than req/s; undefined where /proc is not there.
 */
export function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** The system (kernel) part of cpuMs: sockets, files, page faults. */
export function systemCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    return (Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[12]) * 1000) / 100;
  } catch {
    return undefined;
  }
}

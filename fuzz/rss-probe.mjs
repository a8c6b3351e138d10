// Preloaded with `node --import ./fuzz/rss-probe.mjs`: on exit, writes the process's peak resident set
// (getrusage ru_maxrss, the same number as /proc/<pid>/status VmHWM and `/usr/bin/time -v`) in KiB to
// the file named by RSTSCOPE_RSS_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.RSTSCOPE_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      writeFileSync(file, String(process.resourceUsage().maxRSS));
    } catch {
      // the measurement is best effort; never change the CLI's exit
    }
  });
}

// A separate app instance for the multi-process tests: `node --import tsx child.ts <command> ...`.
// Options come from the environment (CACHE_PATH, SERVICE, ACCOUNT, ALLOW_PLAINTEXT, LOCK_TIMEOUT_MS). The
// last stdout line is `RESULT {json}`; with REPORT_RSS=1 it includes the peak memory (maxRssMb).
import { createKeychainPersistence } from '../index.js';
import { access, FakeTokenCache } from './fake-cache.js';

const [command = 'load', ...args] = process.argv.slice(2);
const persistence = createKeychainPersistence({
  cachePath: process.env.CACHE_PATH!,
  serviceName: process.env.SERVICE!,
  accountName: process.env.ACCOUNT,
  allowUnsafePlaintext: process.env.ALLOW_PLAINTEXT === '1',
  ...(process.env.LOCK_TIMEOUT_MS ? { lock: { timeoutMs: Number(process.env.LOCK_TIMEOUT_MS) } } : {}),
});
const cache = new FakeTokenCache();

function report(extra: Record<string, unknown> = {}): void {
  const out = {
    state: persistence.state,
    warnings: persistence.warnings.map((w) => ({ code: w.code, message: w.message, movedTo: w.movedTo })),
    accounts: cache.accountIds(),
    ...(process.env.REPORT_RSS === '1' ? { maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) } : {}),
    ...extra,
  };
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
}

switch (command) {
  case 'load':
    await access(persistence, cache);
    report();
    break;
  case 'add': {
    // add id1,id2 — each in its own write access
    for (const id of (args[0] ?? '').split(',').filter(Boolean)) await access(persistence, cache, (c) => c.addAccount(id));
    await access(persistence, cache);
    report();
    break;
  }
  case 'writer': {
    // writer <prefix> <durationMs> <maxWrites>: add distinct accounts until the time or the count runs out
    const [prefix = 'w', duration = '10000', max = '100000'] = args;
    const until = Date.now() + Number(duration);
    let added = 0;
    while (Date.now() < until && added < Number(max)) {
      const id = `${prefix}-${added}`;
      await access(persistence, cache, (c) => c.addAccount(id));
      added++;
    }
    report({ added });
    break;
  }
  case 'churn': {
    // churn <prefix> <maxWrites>: write as fast as possible, announcing each durable write (to be killed)
    const [prefix = 'c', max = '100000'] = args;
    for (let i = 0; i < Number(max); i++) {
      await access(persistence, cache, (c) => c.addAccount(`${prefix}-${i}`));
      process.stdout.write(`wrote ${i}\n`);
    }
    report();
    break;
  }
  default:
    throw new Error(`unknown command ${command}`);
}

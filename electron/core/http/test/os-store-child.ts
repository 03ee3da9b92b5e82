// Run in a child process (the OS store is read once per process): fetch the URL given in argv with no
// pin and no extra CA, and print the outcome. The parent points SSL_CERT_FILE at a test CA, which is
// how OpenSSL (and so Node's system store on Linux) finds the OS store.
import { createFetch } from '../pinned-fetch.js';

const url = process.argv[2] as string;
createFetch({ env: {} })(url).then(
  (r) => console.log(JSON.stringify({ status: r.status })),
  (e: { code?: string }) => console.log(JSON.stringify({ error: e.code })),
);

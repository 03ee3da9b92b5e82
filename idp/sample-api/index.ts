// The sample API (issue 7): a web API protected by the local IdP, calling the Graph-like API on behalf of
// its caller. See README.md in this folder.
export { startSampleApi, DEFAULT_API_PORT, GRAPH_SCOPE, type SampleApi, type SampleApiOptions } from './server.js';
export { SAMPLE_API_AUDIENCE, SAMPLE_API_SCOPE, DATA_READ_ALL } from './token-validator.js';
export { wwwAuthenticate, ApiAuthError } from './www-authenticate.js';

import type { SampleApiResult } from '../../../shared/views.js';

export function ApiResult({ result }: { result: SampleApiResult }) {
  return (
    <div className="api-result">
      <h3>
        Sample API answered <code>{result.status}</code>
      </h3>
      <pre tabIndex={0} aria-label="Sample API answer">{JSON.stringify(result.body, null, 2)}</pre>
    </div>
  );
}

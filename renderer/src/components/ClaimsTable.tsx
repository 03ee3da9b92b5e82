import type { JsonValue } from '../../../shared/views.js';

/** Claims that are NumericDate (seconds since the epoch): shown with a readable time next to them. */
const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time']);

function show(name: string, value: JsonValue): string {
  if (TIME_CLAIMS.has(name) && typeof value === 'number') return `${value} (${new Date(value * 1000).toLocaleString()})`;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function ClaimsTable({ claims }: { claims: Record<string, JsonValue> }) {
  const names = Object.keys(claims).sort();
  return (
    <table className="claims">
      <caption>ID token claims</caption>
      <thead>
        <tr>
          <th scope="col">Claim</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {names.map((name) => (
          <tr key={name}>
            <th scope="row">
              <code>{name}</code>
            </th>
            <td>{show(name, claims[name]!)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

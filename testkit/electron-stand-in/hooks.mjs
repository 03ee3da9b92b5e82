// Module resolve hook (module.register): the bare specifier `electron` resolves to the recording
// stand-in next to this file, for the main-process smoke test. Everything else resolves as usual.
const standIn = new URL('./electron.ts', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: standIn, shortCircuit: true };
  return nextResolve(specifier, context);
}

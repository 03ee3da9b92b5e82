// An ErrorView's field lengths: the schema (views.ts) checks them, and error-messages.ts and the IPC
// router cut views down to them. In a module of their own, without zod, so the renderer (which builds
// and explains error views but never validates) does not bundle the validator.
export const ERROR_VIEW_LIMITS = { code: 256, message: 2048, suggestedAction: 1024, serverCode: 256, correlationId: 256 } as const;

// What "start with an empty cache" means in the MSAL unified schema (the shape msal-node serializes).
export const EMPTY_CACHE_JSON = '{"Account":{},"IdToken":{},"AccessToken":{},"RefreshToken":{},"AppMetadata":{}}';

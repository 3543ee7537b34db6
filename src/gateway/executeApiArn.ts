/**
 * The execute-api ARN API Gateway authorises: `arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/METHOD/path`,
 * the path being the request's decoded segments (so `/pets/1` is `.../GET/pets/1` and the root `.../GET/`).
 * The part up to the stage is fixed per API and stage: built once and reused for every request.
 */
export function executeApiArnPrefix(region: string, accountId: string, apiId: string, stage: string): string {
  return `arn:aws:execute-api:${region}:${accountId}:${apiId}/${stage}/`;
}

export function executeApiArn(prefix: string, method: string, segments: readonly string[]): string {
  return `${prefix}${method}/${segments.join("/")}`;
}

/** `arn:aws:execute-api:REGION:ACCOUNT:API_ID/*`, which resource policies may abbreviate as `execute-api:/*`. */
export function expandResourceShorthand(
  resource: string,
  region: string,
  accountId: string,
  apiId: string,
): string {
  return resource.startsWith("execute-api:/")
    ? `arn:aws:execute-api:${region}:${accountId}:${apiId}${resource.slice("execute-api:".length)}`
    : resource;
}

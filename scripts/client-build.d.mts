export function clientBuildIsFresh(): boolean;
export function ensureClientBuilt(opts?: { quiet?: boolean }): Promise<boolean>;

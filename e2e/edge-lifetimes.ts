// The edge cache lifetimes of the local e2e stack (global-setup.ts sets them unless the environment
// does): short, so e2e/edge.spec.ts sees a stored page expire within a test.
export const E2E_S_MAXAGE_S = 3;
export const E2E_STALE_WHILE_REVALIDATE_S = 3;

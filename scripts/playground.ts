export async function buildPlayground(_root: string): Promise<void> {}

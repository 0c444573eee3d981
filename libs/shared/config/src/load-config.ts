import { z } from 'zod';
import { ConfigError } from './config-error';

/**
 * Parses the environment against a zod schema and fails fast with every problem at once, naming the
 * variable and what was wrong with it. Takes the environment as an argument: no config is read at import.
 */
export function loadConfig<S extends z.ZodTypeAny>(
  service: string,
  schema: S,
  env: NodeJS.ProcessEnv,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data as z.infer<S>;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const value = issue.path.length === 1 ? env[String(issue.path[0])] : undefined;
    const shown = value === undefined ? 'it is not set' : `got "${isSecretName(name) ? '***' : value}"`;
    return `${name}: ${issue.message} (${shown})`;
  });
  throw new ConfigError(service, problems);
}

function isSecretName(name: string): boolean {
  return /SECRET|PASSWORD|KEY|TOKEN/i.test(name);
}

import { SECRET_MASK, type ProjectVariable } from '@forkflow/domain/flows/schemas';
import type { SequenceEnvironment } from '../api/queries';

/**
 * A project variable's current value as the sequence editor shows it beside the variable
 * (seed 000: "Show value of project variable there also"): hardcoded values as they are,
 * environment ones read from the linked environment, secrets masked.
 */
export function currentValueText(
  variable: ProjectVariable,
  environment: SequenceEnvironment | null,
): string {
  if (variable.source === 'hardcoded')
    return variable.value === null ? 'no value' : String(variable.value);
  if (!environment) return `from ${variable.environment_variable}: no environment linked`;
  const found = environment.variables.find((item) => item.name === variable.environment_variable);
  if (!found) return `not set in ${environment.name}`;
  if (found.secret)
    return found.has_value ? SECRET_MASK : `secret with no value in ${environment.name}`;
  return found.value ?? 'empty';
}

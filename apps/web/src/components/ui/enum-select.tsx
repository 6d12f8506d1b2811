import type { ComponentProps, ReactNode } from 'react';
import { Select } from './form-field';

type EnumProps<T extends string> = {
  values: readonly T[];
  labels: Readonly<Record<T, string>>;
};

/** One option per value of a fixed list (task types, lead stages…), shown by its label. */
export function EnumOptions<T extends string>({ values, labels }: EnumProps<T>) {
  return values.map((value) => (
    <option key={value} value={value}>
      {labels[value]}
    </option>
  ));
}

/** A select of one of a fixed list of values; `children` (e.g. a "None" option) come first. */
export function EnumSelect<T extends string>({
  values,
  labels,
  children,
  ...props
}: Omit<ComponentProps<'select'>, 'children'> & EnumProps<T> & { children?: ReactNode }) {
  return (
    <Select {...props}>
      {children}
      <EnumOptions values={values} labels={labels} />
    </Select>
  );
}

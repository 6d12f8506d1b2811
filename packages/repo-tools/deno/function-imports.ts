// A `deno lint` plugin holding the import rule of the edge functions (README "The local stack",
// the style guide): a file under supabase/functions imports only relative paths that stay
// inside supabase/functions, and `npm:` specifiers. The Supabase CLI's bundler cannot
// follow a path out of the folder or fetch jsr:/URL imports (supabase/cli issues 1303,
// 3467), and a bare specifier resolves here through the repo's package.json but not there.
// `no-import-prefix` (recommended in deno lint) is turned off in lint.json: `npm:` is our rule.

const FUNCTIONS = '/supabase/functions/';

/** Why `specifier`, imported from `file`, is not allowed; undefined when it is. */
export function importProblem(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('npm:')) return undefined;
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) {
    return `'${specifier}': functions import only relative paths and npm: specifiers`;
  }
  const at = file.lastIndexOf(FUNCTIONS);
  if (at < 0) return undefined;
  const root = file.slice(0, at + FUNCTIONS.length);
  const target = new URL(specifier, `file://${file}`).pathname;
  if (!target.startsWith(root)) {
    return `'${specifier}' leaves supabase/functions, which the Supabase bundler cannot follow`;
  }
  return undefined;
}

const plugin: Deno.lint.Plugin = {
  name: 'forkflow',
  rules: {
    'function-imports': {
      create(context) {
        const check = (node: Deno.lint.Node, source: Deno.lint.Node | null | undefined) => {
          if (!source) return;
          if (source.type !== 'Literal' || typeof source.value !== 'string') {
            context.report({ node, message: 'a dynamic import must name a literal path' });
            return;
          }
          const message = importProblem(context.filename, source.value);
          if (message) context.report({ node: source, message });
        };
        return {
          ImportDeclaration: (node) => check(node, node.source),
          ExportAllDeclaration: (node) => check(node, node.source),
          ExportNamedDeclaration: (node) => check(node, node.source),
          ImportExpression: (node) => check(node, node.source),
        };
      },
    },
  },
};

export default plugin;

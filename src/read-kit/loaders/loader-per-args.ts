/**
 * One loader per distinct set of field arguments within a request. A nested query asks every
 * parent with the same arguments, so all of them still share one loader, hence one statement.
 */
export function loaderPerArgs<A, L>(idOf: (args: A) => string, make: (args: A) => L): (args: A) => L {
  const loaders = new Map<string, L>();
  return (args) => {
    const id = idOf(args);
    let loader = loaders.get(id);
    if (!loader) loaders.set(id, (loader = make(args)));
    return loader;
  };
}

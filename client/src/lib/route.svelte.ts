// Hash routes: `#/` the overview, `#/bed/<bedId>` one bed.
function parse(hash: string): { page: 'overview' } | { page: 'bed'; bedId: string } {
  const m = /^#\/bed\/([A-Za-z0-9_-]{1,32})$/.exec(hash);
  return m ? { page: 'bed', bedId: m[1] } : { page: 'overview' };
}

class Route {
  current = $state(parse(location.hash));

  constructor() {
    addEventListener('hashchange', () => (this.current = parse(location.hash)));
  }
}

export const route = new Route();

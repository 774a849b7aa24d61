// Hash routes: `#/` the overview, `#/bed/<bedId>` one bed.
type Page = { page: 'overview' } | { page: 'bed'; bedId: string };

function parse(hash: string): Page {
  const m = /^#\/bed\/([A-Za-z0-9_-]{1,32})$/.exec(hash);
  return m ? { page: 'bed', bedId: m[1] } : { page: 'overview' };
}

class Route {
  current = $state(parse(location.hash));

  constructor() {
    addEventListener('hashchange', () => (this.current = parse(location.hash)));
  }

  /**
   * Goes to `hash` (a new history entry) and updates `current` at once, not only when the browser's
   * hashchange event comes: a second key pressed before it (`]` `]`, or `]` then Escape) acts on the
   * page it went to.
   */
  go(hash: string): void {
    location.hash = hash;
    this.current = parse(location.hash);
  }
}

export const route = new Route();

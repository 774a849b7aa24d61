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

  /**
   * The page the address shows now, even before its hashchange event has come (a link followed with
   * Enter, then a key at once): what keys act on.
   */
  now(): Page {
    const p = parse(location.hash);
    if (p.page !== this.current.page || (p.page === 'bed' && this.current.page === 'bed' && p.bedId !== this.current.bedId))
      this.current = p;
    return this.current;
  }
}

export const route = new Route();

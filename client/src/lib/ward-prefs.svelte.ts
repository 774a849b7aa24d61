// How this screen shows the ward: the order of the tiles and the bed id filter. A central station
// keeps its setting across reloads (localStorage, per browser); a fresh screen starts alarm-first
// with every bed.
import { isWardOrder, type WardOrder } from './ward-view.js';

const STORAGE_KEY = 'ecmo.overview';

function load(): { order: WardOrder; filter: string } {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as { order?: unknown; filter?: unknown };
    return { order: isWardOrder(saved.order) ? saved.order : 'severity', filter: typeof saved.filter === 'string' ? saved.filter : '' };
  } catch {
    return { order: 'severity', filter: '' };
  }
}

class WardPrefs {
  #order = $state<WardOrder>('severity');
  #filter = $state('');

  constructor() {
    const saved = load();
    this.#order = saved.order;
    this.#filter = saved.filter;
  }

  get order(): WardOrder {
    return this.#order;
  }
  set order(o: WardOrder) {
    this.#order = o;
    this.#save();
  }

  get filter(): string {
    return this.#filter;
  }
  set filter(f: string) {
    this.#filter = f;
    this.#save();
  }

  #save(): void {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify({ order: this.#order, filter: this.#filter }));
    } catch {
      // Storage full or forbidden (private mode): the setting lasts until the page reloads.
    }
  }
}

export const wardPrefs = new WardPrefs();

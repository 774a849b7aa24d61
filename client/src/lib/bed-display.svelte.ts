// What each bed's numbers are compared with on screen: its effective alarm limits (a specialist may
// have changed them, GET /api/beds/{bed}/limits) and its patient's age and weight. Displayed values
// are rounded so as never to cross one of these (shared/format.ts). Until a bed's limits arrive, and
// where they cannot be read, the defaults apply.
import type { BedLimitsOverrides } from '../../../shared/alarms.js';
import { displayContext, type DisplayContext } from '../../../shared/format.js';
import { api } from './api.js';
import { live } from './live.svelte.js';

/**
 * Limits change rarely and only by hand, and no event announces it: read again after every
 * (re)connection and once a minute. The alarms themselves come from the server; this only decides
 * how many decimals a number needs.
 */
const REFRESH_MS = 60_000;

class BedDisplay {
  #overrides = $state<Record<string, BedLimitsOverrides>>({});
  /** Beds whose limits were asked for: read again on reconnection and by the refresh. */
  readonly #asked = new Set<string>();

  constructor() {
    live.onConnect(() => this.#refresh());
  }

  /**
   * A bed's display context (no bed: the defaults). The first call for a bed asks the server for its
   * limits; the answer arrives later and updates every number of that bed.
   */
  contextOf(bedId: string | undefined): DisplayContext {
    if (bedId === undefined) return displayContext(null, null);
    if (!this.#asked.has(bedId)) {
      // The first bed starts the refresh; the store lives as long as the page.
      if (this.#asked.size === 0) setInterval(() => this.#refresh(), REFRESH_MS);
      this.#asked.add(bedId);
      void this.#read(bedId);
    }
    const patient = live.beds[bedId]?.patient ?? live.overview.find((b) => b.bedId === bedId)?.patient ?? null;
    return displayContext(this.#overrides[bedId], patient);
  }

  #refresh(): void {
    for (const bedId of this.#asked) void this.#read(bedId);
  }

  async #read(bedId: string): Promise<void> {
    try {
      const answer = await api<{ overrides: BedLimitsOverrides }>(`/api/beds/${encodeURIComponent(bedId)}/limits`);
      this.#overrides[bedId] = answer.overrides;
    } catch {
      // Not yet known to the server, or the link is down: keep what we had (or the defaults) and try again later.
    }
  }
}

export const bedDisplay = new BedDisplay();

// Blood as saturation and PO2, and the mixing of streams by oxygen content (not by saturation):
// blood with a high PO2 carries dissolved oxygen that binds to the other stream's haemoglobin.
import { oxygenContent, po2FromSaturation, saturationFromPo2 } from './oxygen.js';

export interface Blood {
  /** %. */
  saturation: number;
  /** mmHg. */
  po2: number;
}

export function bloodFromSaturation(saturationPct: number): Blood {
  return { saturation: saturationPct, po2: po2FromSaturation(saturationPct) };
}

/** The PO2 (and saturation) at which blood of this Hb holds this content, by bisection. */
function bloodFromContent(hbGdl: number, contentMlDl: number): Blood {
  let low = 1;
  let high = 700;
  for (let i = 0; i < 26; i++) {
    const mid = (low + high) / 2;
    if (oxygenContent(hbGdl, saturationFromPo2(mid), mid) < contentMlDl) low = mid;
    else high = mid;
  }
  const po2 = (low + high) / 2;
  return { saturation: saturationFromPo2(po2), po2 };
}

/** Streams mixed in proportion to their weights (flows). */
export function mixBlood(hbGdl: number, streams: ReadonlyArray<readonly [number, Blood]>): Blood {
  let total = 0;
  let content = 0;
  for (const [weight, blood] of streams) {
    if (weight <= 0) continue;
    total += weight;
    content += weight * oxygenContent(hbGdl, blood.saturation, blood.po2);
  }
  if (total <= 0) return streams[0][1];
  return bloodFromContent(hbGdl, content / total);
}

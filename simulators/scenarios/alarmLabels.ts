// Ground truth for alarm yield (tools/alarm-yield): which alarms a specialist wants raised during a
// scenario, and when. Labels are in scenario time and were derived from the values the model really
// generates (tools/alarm-yield/explore.ts over seeds 1–8), not from the keyframes alone.
//
// Times of a label:
//   earliestS ≤ fromS ≤ toS
//   earliestS  the condition may first show, momentarily (noise near the limit, a ramp's start); an
//              alarm raised from here on belongs to this label. Default fromS.
//   fromS      the condition is physiologically present: the rolling 30 s median of the value is past
//              the limit (time-held alarms), the first reading past it ("on result" alarms from a
//              continuous sensor), or the fault's start (technical alarms).
//   toS        the condition is over (absent: it lasts to the end of the story).
//   maxDelayS  detection deadline after fromS: the catalogue's onset delay (shared/alarms.ts,
//              docs/clinical.md section 4) plus an allowance. The allowance is small for step
//              changes; for slow ramps with reading noise or suction chatter it is what an engine
//              that follows section 4 literally (the condition held without a break for the onset
//              delay) needs in every seed tried, plus a margin; the label's note says why. For lab
//              results it includes the draw interval and the 5–15 min turnaround.
//
// `expect`: `required` — a specialist wants this alarm; missing it is a failure. `acceptable` — the
// alarm may be raised (a borderline value, a condition the team caused on purpose), need not be.
// Sensor artefacts (ABP flush, damped line, probe off, SvO2 drift) are never labelled: an alarm they
// cause is non-actionable.
import type { AlarmKey } from '../../shared/alarms.js';
import type { AlarmPriority } from '../../shared/protocol.js';

type AlarmExpectation = 'required' | 'acceptable';

export interface AlarmLabel {
  /** Key of the alarm catalogue (shared/alarms.ts), e.g. `drainagePressure`, `deviceOffline.ecmo`. */
  key: AlarmKey;
  expect: AlarmExpectation;
  fromS: number;
  toS?: number;
  earliestS?: number;
  maxDelayS: number;
  /** The priority a specialist expects (informative: matching is by key). */
  priority?: AlarmPriority;
  note: string;
}

/** The stretch of the story an alarm-yield run covers by default: its labels are complete there. */
export interface AlarmWindow {
  fromS: number;
  toS: number;
}

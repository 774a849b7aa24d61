// Who may do what: one table for the server's checks (REST and Socket.IO) and the dashboard's
// buttons, so a button is never offered that the server would refuse.
import type { Role } from './schemas.js';

/** What each role may do (docs/interface.md, POST /api/users). */
export const PERMISSIONS = {
  read: ['admin', 'specialist', 'researcher', 'viewer'],
  manageUsers: ['admin'],
  editPatient: ['admin', 'specialist'],
  ackAlarm: ['admin', 'specialist'],
  editLimits: ['admin', 'specialist'],
  timeline: ['admin', 'specialist', 'researcher'],
  export: ['admin', 'researcher'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function may(role: Role, what: Permission): boolean {
  return (PERMISSIONS[what] as readonly Role[]).includes(role);
}

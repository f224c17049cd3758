/** What identity writes to its audit trail (R21). */
export enum AuditAction {
  UserCreated = 'USER_CREATED',
  UserProfileChanged = 'USER_PROFILE_CHANGED',
  UserSuspended = 'USER_SUSPENDED',
  UserReactivated = 'USER_REACTIVATED',
  TemporaryPasswordReset = 'TEMPORARY_PASSWORD_RESET',
  RseNamed = 'RSE_NAMED',
  RepertoireCorrected = 'REPERTOIRE_CORRECTED',
}

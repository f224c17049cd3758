import { stableId, type DomainEvent, type SessionEnded } from '@pgamr/kit';
import { noReportNoticeId, raiseDueDeadlineNotices } from '../subgraphs/mandates/src/report/report-deadlines';
import { execute } from './support/graphql';
import { bearer, signIn } from './support/session';
import { startStack, type Stack } from './support/stack';

// Issue 19: mandates and identity write each event in the transaction of the change and its audit
// entry (the kit's outbox), with who waits on it; a refused change writes none. Read here straight
// from each subgraph's outbox, whether the relay has published it yet or not.

let stack: Stack;
type Headers = Record<string, string>;

const MAGOG = stableId('organization', 'MUN-45072');
const TECQ = stableId('online-service', 'TECQ');
const FIRM = stableId('organization', 'FIRM-GCE');
const AMELIE = stableId('user', 'GCE0000002');
const JULIEN = stableId('user', 'GCE0000001');
const DOSSIER = stableId('dossier', 'EVENTS-SUBMITTED');

const gateway = (query: string, variables: Record<string, unknown>, headers: Headers) => execute<any>(stack.gatewayUrl, query, variables, headers);
const as = async (code: string) => bearer(await signIn(stack.gatewayUrl, code));
const codeOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.code;
const quebecToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto' }).format(new Date());

interface OutboxRow {
  subject: string;
  payload: DomainEvent & Partial<SessionEnded>;
}

const outboxOf = async (subgraph: 'mandates' | 'identity', subject: string): Promise<OutboxRow[]> =>
  stack.subgraphs[subgraph].database.orm.em
    .getConnection()
    .execute<OutboxRow[]>('select subject, payload from event_outbox where subject like ? order by created_at, id', [subject]);

const ofSubject = (rows: OutboxRow[], id: string) => rows.filter((row) => (row.payload.subject as DomainEvent['subject'] | undefined)?.id === id);

let isabelle: Headers;
let julien: Headers;
let dgi: Headers;

beforeAll(async () => {
  stack = await startStack();
  // A dossier of Magog in TECQ already submitted, for the DGI to take into review.
  await stack.subgraphs.mandates.database.orm.em.getConnection().execute(
    `insert into dossier (id, organization_id, service_id, title, requested_amount, status, form, created_by, created_at, updated_at)
     values (?, ?, ?, 'Dossier des événements', 125000, 'SUBMITTED', '{}'::jsonb, ?, now(), now())`,
    [DOSSIER, MAGOG, TECQ, stableId('user', 'MAG0000001')],
  );
  [isabelle, julien, dgi] = await Promise.all([as('MAG0000001'), as('GCE0000001'), as('MAM0000002')]);
});

afterAll(async () => {
  await stack?.close();
});

describe('mandates raises its events with the change (issue 19, R15, R16, R17)', () => {
  let mandateId: string;
  let passedOnId: string;

  it('R15: a mandate granted concerns its mandataire and the RSÉ of the firm', async () => {
    const granted = await gateway(
      'mutation($input: GrantMandateInput!) { grantMandate(input: $input) { mandate { id } } }',
      { input: { organizationId: MAGOG, serviceId: TECQ, dossierIds: [DOSSIER], mandataireCode: 'GCE0000002', level: 'CONSULTATION', startsOn: quebecToday() } },
      isabelle,
    );
    expect(granted.errors).toBeUndefined();
    mandateId = granted.data.grantMandate.mandate.id;
    const events = ofSubject(await outboxOf('mandates', 'pgamr.events.mandates.MANDATE_GRANTED'), mandateId);
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({
      type: 'MANDATE_GRANTED',
      source: 'mandates',
      organizationId: MAGOG,
      serviceId: TECQ,
      subject: { typename: 'Mandate', id: mandateId },
      audiences: [
        { kind: 'USERS', userIds: [AMELIE] },
        { kind: 'FIRM_RSE', firmOrganizationId: FIRM },
      ],
    });
  });

  it('R16: a mandate passed on concerns the colleague it is passed to', async () => {
    const passed = await gateway(
      'mutation($input: DelegateMandateInput!) { delegateMandate(input: $input) { mandate { id } } }',
      { input: { mandateId, mandataireCode: 'GCE0000001', level: 'CONSULTATION' } },
      julien,
    );
    expect(passed.errors).toBeUndefined();
    passedOnId = passed.data.delegateMandate.mandate.id;
    const events = ofSubject(await outboxOf('mandates', 'pgamr.events.mandates.MANDATE_PASSED_ON'), passedOnId);
    expect(events.map((event) => event.payload.audiences[0])).toEqual([{ kind: 'USERS', userIds: [JULIEN] }]);
  });

  it("R14, R17: a dossier's new status concerns the organization's users of the program and the mandataires in force on it", async () => {
    const review = await gateway('mutation($id: ID!) { startDossierReview(input: { dossierId: $id }) { dossier { status } } }', { id: DOSSIER }, dgi);
    expect(review.errors).toBeUndefined();
    const events = ofSubject(await outboxOf('mandates', 'pgamr.events.mandates.DOSSIER_STATUS_CHANGED'), DOSSIER);
    expect(events).toHaveLength(1);
    expect(events[0]!.payload.data).toEqual({ from: 'SUBMITTED', to: 'IN_REVIEW' });
    const [program, mandataires] = events[0]!.payload.audiences;
    expect(program).toEqual({ kind: 'SERVICE_USERS', organizationId: MAGOG, serviceId: TECQ });
    expect(mandataires).toEqual({ kind: 'USERS', userIds: expect.arrayContaining([AMELIE, JULIEN]) });
    expect(mandataires?.kind === 'USERS' ? mandataires.userIds : []).toHaveLength(2);
  });

  it('a refused change raises nothing: the review cannot start twice', async () => {
    const again = await gateway('mutation($id: ID!) { startDossierReview(input: { dossierId: $id }) { dossier { status } } }', { id: DOSSIER }, dgi);
    expect(codeOf(again)).toBe('CONFLICT');
    expect(ofSubject(await outboxOf('mandates', 'pgamr.events.mandates.DOSSIER_STATUS_CHANGED'), DOSSIER)).toHaveLength(1);
  });

  it('R15: revoking a mandate raises one event for it and one for each mandate passed on from it', async () => {
    const revoked = await gateway('mutation($id: ID!) { revokeMandate(input: { mandateId: $id }) { mandate { status } } }', { id: mandateId }, isabelle);
    expect(revoked.errors).toBeUndefined();
    const events = await outboxOf('mandates', 'pgamr.events.mandates.MANDATE_REVOKED');
    expect(ofSubject(events, mandateId).map((event) => event.payload.audiences[0])).toEqual([{ kind: 'USERS', userIds: [AMELIE] }]);
    expect(ofSubject(events, passedOnId).map((event) => event.payload.audiences[0])).toEqual([{ kind: 'USERS', userIds: [JULIEN] }]);
  });
});

describe('identity announces the sessions that end, so that live streams close (issue 19, R2, R6)', () => {
  it('a sign-out announces that session once', async () => {
    const tokens = await signIn(stack.gatewayUrl, 'MAG0000003');
    const userId = stableId('user', 'MAG0000003');
    const signedOut = await gateway('mutation { signOut { signedOutAt } }', {}, bearer(tokens));
    expect(signedOut.errors).toBeUndefined();
    const announced = await outboxOf('identity', `pgamr.sessions.${userId}`);
    expect(announced).toHaveLength(1);
    expect(announced[0]!.payload).toMatchObject({ userId, reason: 'SIGNED_OUT' });
    expect(typeof announced[0]!.payload.sessionId).toBe('string');
  });

  it("R2: a suspension announces every session of the user", async () => {
    const userId = stableId('user', 'MAG0000004');
    await signIn(stack.gatewayUrl, 'MAG0000004');
    const suspended = await gateway(
      'mutation($input: SuspendUserInput!) { suspendUser(input: $input) { user { status } } }',
      { input: { userId, reason: 'Départ de l’employée' } },
      isabelle,
    );
    expect(suspended.errors).toBeUndefined();
    const announced = await outboxOf('identity', `pgamr.sessions.${userId}`);
    expect(announced.map((row) => row.payload)).toEqual([{ userId, sessionId: null, reason: 'SUSPENDED' }]);
  });
});

describe('R13, R18: the report deadline notices go to the répondant and the signatories, once per report (issue 19)', () => {
  const QUEBEC = stableId('organization', 'MUN-23027');
  const LEVIS = stableId('organization', 'MUN-25213');
  const SHERBROOKE = stableId('organization', 'MUN-43027');
  const PERFORM = stableId('online-service', 'PERFORM');
  const OPEN_2025 = stableId('financial-report', 'EVENTS-OPEN-2025');
  const SENT_2025 = stableId('financial-report', 'EVENTS-SENT-2025');
  const mandatesSql = (query: string, params: unknown[] = []) => stack.subgraphs.mandates.database.orm.em.getConnection().execute(query, params);
  const noticesOf = async (reportId: string) =>
    ofSubject(await outboxOf('mandates', 'pgamr.events.mandates.REPORT_DEADLINE_%'), reportId).map((row) => row.payload.type);

  beforeAll(async () => {
    await mandatesSql(
      `insert into financial_report (id, organization_id, fiscal_year, status, version, content, created_by, created_at, updated_at, first_transmitted_at)
       values (?, ?, 2025, 'DRAFT', 1, '{}'::jsonb, ?, now(), now(), null),
              (?, ?, 2025, 'TRANSMITTED', 1, '{}'::jsonb, ?, now(), now(), timestamptz '2026-05-20 10:00-04')
`,
      [OPEN_2025, QUEBEC, stableId('user', 'MAG0000004'), SENT_2025, LEVIS, stableId('user', 'MAG0000004')],
    );
  });

  it('20 days before 30 June: one notice for a report not transmitted, none for a transmitted one, none again', async () => {
    const em = stack.subgraphs.mandates.database.orm.em.fork();
    await raiseDueDeadlineNotices(em, new Date('2026-06-10T12:00:00-04:00'));
    expect(await noticesOf(OPEN_2025)).toEqual(['REPORT_DEADLINE_NEAR']);
    expect(await noticesOf(SENT_2025)).toEqual([]);
    const [event] = ofSubject(await outboxOf('mandates', 'pgamr.events.mandates.REPORT_DEADLINE_NEAR'), OPEN_2025);
    expect(event!.payload.audiences).toEqual([
      { kind: 'SERVICE_ROLES', organizationId: QUEBEC, serviceId: stableId('online-service', 'PERFORM'), roles: ['MUNICIPAL_RESPONDENT', 'PERFORM_SIGNATORY'] },
    ]);
    await raiseDueDeadlineNotices(em, new Date('2026-06-11T12:00:00-04:00'));
    expect(await noticesOf(OPEN_2025)).toEqual(['REPORT_DEADLINE_NEAR']);
  });

  it('R13, R18: the bodies without a report for the year get one notice, to the roles of every body but those with a report, once', async () => {
    const em = stack.subgraphs.mandates.database.orm.em.fork();
    await raiseDueDeadlineNotices(em, new Date('2026-06-10T12:00:00-04:00'));
    await raiseDueDeadlineNotices(em, new Date('2026-06-12T12:00:00-04:00'));
    const generic = (await outboxOf('mandates', 'pgamr.events.mandates.REPORT_DEADLINE_NEAR')).filter(
      (row) => (row.payload.subject ?? null) === null && row.payload.data.fiscalYear === 2025,
    );
    expect(generic).toHaveLength(1);
    const [event] = generic;
    expect(event!.payload).toMatchObject({ organizationId: null, serviceId: PERFORM, data: { fiscalYear: 2025, deadline: '2026-06-30' } });
    expect(event!.payload.audiences).toHaveLength(1);
    const [audience] = event!.payload.audiences;
    expect(audience).toEqual({ kind: 'SERVICE_ROLES_EXCEPT', serviceId: PERFORM, roles: ['MUNICIPAL_RESPONDENT', 'PERFORM_SIGNATORY'], exceptOrganizationIds: expect.any(Array) });
    // Magog (seeded) and Québec have a report not transmitted, Lévis one transmitted: all excepted.
    // Sherbrooke has none for 2025: its répondant and signatory are the ones this notice is for.
    const excepted = audience!.kind === 'SERVICE_ROLES_EXCEPT' ? audience!.exceptOrganizationIds : [];
    expect(excepted).toEqual(expect.arrayContaining([MAGOG, QUEBEC, LEVIS]));
    expect(excepted).not.toContain(SHERBROOKE);
    const marker = await mandatesSql('select kind from report_deadline_notice where report_id = ?', [noReportNoticeId('REPORT_DEADLINE_NEAR', 2025)]);
    expect(marker).toEqual([{ kind: 'REPORT_DEADLINE_NEAR' }]);
  });

  it('the day after 30 June: the deadline passed, once', async () => {
    const em = stack.subgraphs.mandates.database.orm.em.fork();
    await raiseDueDeadlineNotices(em, new Date('2026-07-01T08:00:00-04:00'));
    await raiseDueDeadlineNotices(em, new Date('2026-07-02T08:00:00-04:00'));
    expect(await noticesOf(OPEN_2025)).toEqual(['REPORT_DEADLINE_NEAR', 'REPORT_DEADLINE_PASSED']);
    expect(await noticesOf(SENT_2025)).toEqual([]);
  });
});

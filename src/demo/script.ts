/**
 * The demo's sample changes: a deterministic, seeded sequence of realistic edits in the fakes
 * (new candidates, stage moves, notes and tasks in Recruitee; new and edited workers in
 * Connecteam, one delivery per changed field; sign-ups, plan changes, tasks and notes in your app;
 * customers and tasks in the ERP). Step N is the same change on every run with the same seed, so
 * a restart can rebuild the fakes' data by replaying steps 0..N-1 without sending anything.
 */
import type { ConnecteamFake } from '../connectors/connecteam/fake.js';
import type { ErpFake } from '../connectors/erp/fake.js';
import type { RecruiteeFake } from '../connectors/recruitee/fake.js';
import type { AppFake } from '../connectors/webhook/fake.js';

export interface DemoFakes {
  recruitee: RecruiteeFake;
  connecteam: ConnecteamFake;
  app: AppFake;
  erp: ErpFake;
}

/** One sample change as logged (no secrets, no personal data beyond the made-up names). */
export interface DemoEvent {
  step: number;
  kind: string;
  /** the connection whose fake changed */
  connection: 'recruitee-main' | 'connecteam-main' | 'my-app' | 'erp-main';
  summary: string;
  /** true when the change reaches the bridge by a poll, not a webhook */
  polled: boolean;
}

/** mulberry32: small, seeded, and the same on every platform. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Katherine', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances', 'Edsger', 'Radia', 'Tim', 'Hedy', 'John', 'Mary', 'Niklaus', 'Sophie', 'Bjarne', 'Karen'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Allen', 'Dijkstra', 'Perlman', 'Berners', 'Lamarr', 'Backus', 'Keller', 'Wirth', 'Wilson', 'Stroustrup', 'Jones'];
const COMPANIES = ['Northwind Traders', 'Contoso Dental', 'Fabrikam Homes', 'Tailspin Toys', 'Litware Labs', 'Adventure Works', 'Proseware Inc', 'Wide World Importers'];
const CITIES = ['Austin', 'Denver', 'Portland', 'Raleigh', 'Madison', 'Tucson', 'Boise', 'Omaha'];
const PLANS = ['free', 'pro', 'team'];
/** Recruitee stage categories a candidate moves through (the fake's default pipeline). */
const PIPELINE = ['apply', 'phone_screen', 'interview', 'evaluation', 'offer', 'hire'];
const DAY = 86_400_000;

/** The order of kinds; it repeats, so every source keeps changing. */
const CYCLE = [
  'recruitee.candidate', 'app.signup', 'connecteam.user', 'erp.customer',
  'recruitee.stage', 'connecteam.edit', 'app.profile', 'erp.customer.update',
  'recruitee.note', 'app.task', 'erp.task', 'recruitee.task',
  'app.note', 'erp.task.complete', 'recruitee.stage', 'connecteam.archive-or-edit',
] as const;

/** What earlier steps created (rebuilt by a replay: the fakes hand out the same ids in the same order). */
interface Memory {
  candidates: Array<{ id: number; stage: number }>;
  workers: Array<{ id: number; first: string; archived: boolean }>;
  appUsers: Array<{ id: string; plan: number }>;
  customers: string[];
  erpTasks: Array<{ id: string; completed: boolean }>;
}

export interface DemoScript {
  /** The next step's number. */
  readonly step: number;
  /** Applies the next step to the fakes; `silent` sends no Recruitee webhook (a replay; the other fakes are silenced by their URLs). A step that throws still counts. */
  next(options?: { silent?: boolean }): Promise<DemoEvent>;
}

/**
 * @example
 * const script = createDemoScript(fakes, { seed: 6, epoch: Date.parse('2026-01-05T09:00:00Z') });
 * await script.next();                  // step 0: a new Recruitee candidate, webhook sent
 * await script.next({ silent: true });  // a replayed step: the same change, nothing sent
 */
export function createDemoScript(fakes: DemoFakes, options: { seed: number; epoch: number }): DemoScript {
  const random = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const memory: Memory = { candidates: [], workers: [], appUsers: [], customers: [], erpTasks: [] };
  let step = 0;
  // due dates from the demo's first start, so a replayed step writes exactly what it wrote before
  const due = (s: number, days: number) => new Date(options.epoch + (s + days) * DAY).toISOString();
  const person = (s: number) => {
    const first = pick(FIRST);
    const last = pick(LAST);
    // the step makes every person unique: GHL's duplicate rules would merge equal emails or phones
    return { first, last, name: `${first} ${last}`, email: `${first}.${last}.${s}@example.com`.toLowerCase(), phone: (area: string) => `+1${area}555${2000 + s}` };
  };

  async function run(kind: (typeof CYCLE)[number], s: number, silent: boolean): Promise<DemoEvent> {
    const webhook = !silent;
    switch (kind) {
      case 'recruitee.candidate': {
        const p = person(s);
        const source = pick(['LinkedIn', 'Careers page', 'Referral', 'Indeed']);
        const c = await fakes.recruitee.addCandidate({ name: p.name, emails: [p.email], phones: [p.phone('415')], source, offerId: pick([800001, 800002]) }, { webhook });
        memory.candidates.push({ id: c.id, stage: 0 });
        return { step: s, kind, connection: 'recruitee-main', summary: `new candidate ${p.name} (${source})`, polled: false };
      }
      case 'recruitee.stage': {
        const open = memory.candidates.filter((c) => c.stage < PIPELINE.length - 1);
        const c = open.length > 0 ? pick(open) : null;
        if (!c) return run('recruitee.candidate', s, silent);
        c.stage += 1;
        await fakes.recruitee.moveStage(c.id, PIPELINE[c.stage]!, { webhook });
        return { step: s, kind, connection: 'recruitee-main', summary: `candidate ${c.id} moved to ${PIPELINE[c.stage]}`, polled: false };
      }
      case 'recruitee.note': {
        const c = pick(memory.candidates);
        const body = pick(['Strong phone screen, good culture fit.', 'Asked for a salary range above budget.', 'References checked: all positive.', 'Available to start in two weeks.']);
        fakes.recruitee.addNote(c.id, body);
        return { step: s, kind, connection: 'recruitee-main', summary: `note on candidate ${c.id}`, polled: true };
      }
      case 'recruitee.task': {
        const c = pick(memory.candidates);
        const title = pick(['Schedule the on-site interview', 'Send the offer letter', 'Collect references', 'Book a follow-up call']);
        fakes.recruitee.addTask(c.id, { title, description: `Candidate ${c.id}`, dueDate: due(s, 3) });
        return { step: s, kind, connection: 'recruitee-main', summary: `task "${title}" on candidate ${c.id}`, polled: true };
      }
      case 'app.signup': {
        const p = person(s);
        const plan = Math.floor(random() * 2);
        const { user } = await fakes.app.signUp({ email: p.email, name: p.name, phone: p.phone('628'), plan: PLANS[plan], company: pick(COMPANIES) });
        memory.appUsers.push({ id: user.id, plan });
        return { step: s, kind, connection: 'my-app', summary: `sign-up ${p.name} on the ${PLANS[plan]} plan`, polled: false };
      }
      case 'app.profile': {
        const u = pick(memory.appUsers);
        u.plan = (u.plan + 1) % PLANS.length;
        const company = random() < 0.5 ? { company: pick(COMPANIES) } : {};
        await fakes.app.updateProfile(u.id, { plan: PLANS[u.plan], ...company });
        return { step: s, kind, connection: 'my-app', summary: `user ${u.id} changed to the ${PLANS[u.plan]} plan`, polled: false };
      }
      case 'app.task': {
        const u = pick(memory.appUsers);
        const title = pick(['Finish onboarding checklist', 'Book a product demo', 'Renewal call', 'Send the invoice copy']);
        await fakes.app.createTask(u.id, { title, body: `From your app, user ${u.id}`, dueDate: due(s, 2) });
        return { step: s, kind, connection: 'my-app', summary: `task "${title}" for user ${u.id}`, polled: false };
      }
      case 'app.note': {
        const u = pick(memory.appUsers);
        await fakes.app.createNote(u.id, { body: pick(['Asked about SSO.', 'Happy with the new dashboard.', 'Reported a billing question.', 'Invited two teammates.']) });
        return { step: s, kind, connection: 'my-app', summary: `note on user ${u.id}`, polled: false };
      }
      case 'connecteam.user': {
        const p = person(s);
        const u = await fakes.connecteam.createUser({ firstName: p.first, lastName: p.last, phoneNumber: p.phone('312'), email: p.email, customFields: [{ customFieldId: 7600002, value: pick(['Warehouse', 'Field service', 'Front desk']) }] });
        memory.workers.push({ id: u.userId, first: p.first, archived: false });
        return { step: s, kind, connection: 'connecteam-main', summary: `new worker ${p.name}`, polled: false };
      }
      case 'connecteam.edit': {
        const active = memory.workers.filter((w) => !w.archived);
        const w = active.length > 0 ? pick(active) : null;
        if (!w) return run('connecteam.user', s, silent);
        const last = pick(LAST);
        // three fields: Connecteam sends three deliveries, the bridge makes one event of them
        const { changed } = await fakes.connecteam.updateUser(w.id, { lastName: last, email: `${w.first}.${last}.${s}@example.org`.toLowerCase(), customFields: [{ customFieldId: 7600001, value: `E-${1000 + s}` }] });
        return { step: s, kind, connection: 'connecteam-main', summary: `worker ${w.id} edited (${changed.join(', ')})`, polled: false };
      }
      case 'connecteam.archive-or-edit': {
        const cycle = Math.floor(s / CYCLE.length);
        const active = memory.workers.filter((w) => !w.archived);
        if (cycle % 2 === 0 || active.length < 2) return run('connecteam.edit', s, silent);
        const w = pick(active);
        w.archived = true;
        await fakes.connecteam.archiveUser(w.id);
        return { step: s, kind: 'connecteam.archive', connection: 'connecteam-main', summary: `worker ${w.id} archived`, polled: false };
      }
      case 'erp.customer': {
        const p = person(s);
        const id = `C${1000 + s}`;
        fakes.erp.upsertCustomer({ id, name: p.name, email: p.email, phone: p.phone('646'), companyName: pick(COMPANIES), city: pick(CITIES) });
        memory.customers.push(id);
        return { step: s, kind, connection: 'erp-main', summary: `new customer ${id} ${p.name}`, polled: true };
      }
      case 'erp.customer.update': {
        const id = pick(memory.customers);
        const city = pick(CITIES);
        fakes.erp.upsertCustomer({ id, city, companyName: pick(COMPANIES) });
        return { step: s, kind, connection: 'erp-main', summary: `customer ${id} moved to ${city}`, polled: true };
      }
      case 'erp.task': {
        const customerId = pick(memory.customers);
        const id = `T${1000 + s}`;
        const subject = pick(['Quarterly review', 'Deliver the spare parts', 'Confirm the service visit', 'Send the renewal quote']);
        fakes.erp.upsertTask({ id, customerId, subject, description: `ERP task for ${customerId}`, dueDate: due(s, 5), completed: false });
        memory.erpTasks.push({ id, completed: false });
        return { step: s, kind, connection: 'erp-main', summary: `task ${id} "${subject}" for ${customerId}`, polled: true };
      }
      case 'erp.task.complete': {
        const open = memory.erpTasks.filter((t) => !t.completed);
        const t = open.length > 0 ? pick(open) : null;
        if (!t) return run('erp.task', s, silent);
        t.completed = true;
        fakes.erp.completeTask(t.id);
        return { step: s, kind, connection: 'erp-main', summary: `task ${t.id} completed`, polled: true };
      }
    }
  }

  return {
    get step() {
      return step;
    },
    async next(o = {}) {
      const s = step;
      const kind = CYCLE[s % CYCLE.length]!;
      try {
        return await run(kind, s, o.silent === true);
      } finally {
        // a failed step is skipped, not retried: the sequence stays the same on a replay
        step = s + 1;
      }
    },
  };
}

import type { ViewRoute } from '../../app/view-types.ts';
import { Page } from '../../ui/index.ts';
import './alerts.css';
import { ChannelsCard, NotificationsCard } from './channels.tsx';
import { IncidentsCard } from './incidents.tsx';

function AlertsPage() {
  return (
    <Page title="Alerts" subtitle="One incident per rule and cause; acknowledge stops reminders, mute silences it for a while.">
      <IncidentsCard />
      <div className="grid">
        <ChannelsCard />
        <NotificationsCard />
      </div>
    </Page>
  );
}

export const routes: ViewRoute[] = [{ path: '/alerts', component: AlertsPage, title: 'Alerts' }];

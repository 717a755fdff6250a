import type { ViewRoute } from '../../app/view-types.ts';
import { SyncPage } from './detail.tsx';
import { SyncsPage } from './list.tsx';

export const routes: ViewRoute[] = [
  { path: '/syncs', component: SyncsPage, title: 'Syncs' },
  { path: '/syncs/:id', component: SyncPage, title: 'Sync' },
];

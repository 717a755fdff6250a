import type { ViewRoute } from '../../app/view-types.ts';
import { RunDetail } from './detail.tsx';
import { RunsList } from './list.tsx';

export const routes: ViewRoute[] = [
  { path: '/runs', component: RunsList, title: 'Runs' },
  { path: '/runs/:id', component: RunDetail, title: 'Run' },
];

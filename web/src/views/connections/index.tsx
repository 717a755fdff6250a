import type { ViewRoute } from '../../app/view-types.ts';
import './connections.css';
import { ConnectionsPage } from './list.tsx';
import { NewConnectionPage } from './new.tsx';

export const routes: ViewRoute[] = [
  { path: '/connections', component: ConnectionsPage, title: 'Connections' },
  { path: '/connections/new', component: NewConnectionPage, title: 'Add a connection' },
];

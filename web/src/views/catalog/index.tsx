import type { ViewRoute } from '../../app/view-types.ts';
import './catalog.css';
import { OperationPage } from './detail.tsx';
import { CatalogPage } from './list.tsx';

export const routes: ViewRoute[] = [
  { path: '/catalog', component: CatalogPage, title: 'Catalog' },
  { path: '/catalog/:id', component: OperationPage, title: 'Operation' },
];

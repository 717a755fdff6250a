import type { ViewRoute } from '../../app/view-types.ts';
import './contacts.css';
import { ContactPage } from './detail.tsx';
import { ContactsSearchPage } from './search.tsx';

export const routes: ViewRoute[] = [
  { path: '/contacts', component: ContactsSearchPage, title: 'Contacts' },
  { path: '/contacts/:id', component: ContactPage, title: 'Contact' },
];

import type { ComponentType } from 'react';

/** What a view's page component receives: the path parameters of its pattern. */
export interface ViewProps { params: Record<string, string> }

/** One page of a view: a path pattern (`/runs/:id`) and its component. */
export interface ViewRoute { path: string; component: ComponentType<ViewProps>; title?: string }

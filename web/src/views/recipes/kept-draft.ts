import { useState } from 'react';

const key = (id: string) => `ghlb-recipe-draft:${id}`;

/**
 * The editor's unsaved text, kept in this tab's sessionStorage as it is typed: a session that
 * expires mid-edit sends the person to sign in, and the text is there again when they come back.
 * Saving or discarding forgets it; signing out clears the tab's storage.
 *
 * @example
 * const [draft, setDraft, restored] = useKeptDraft(id);
 */
export function useKeptDraft(id: string): [string | null, (text: string | null) => void, boolean] {
  const [initial] = useState(() => sessionStorage.getItem(key(id)));
  const [draft, setDraftState] = useState<string | null>(initial);
  const setDraft = (text: string | null) => {
    setDraftState(text);
    if (text === null) sessionStorage.removeItem(key(id));
    else sessionStorage.setItem(key(id), text);
  };
  return [draft, setDraft, initial !== null];
}

/**
 * A form generated from a JSON Schema (the connectors' connection schemas): labels from titles
 * (else keys), help from descriptions, required marks, secrets (`writeOnly`) as password inputs,
 * enums as selects, nested objects as fieldsets. Values are kept as typed text and turned into
 * JSON on submit (`valueOf`); an input's error is the API problem whose field is its body path.
 */
import { useState } from 'react';
import { ApiProblem } from '../../api/problem.ts';
import { Field } from '../../ui/index.ts';

export type JsonSchema = {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  writeOnly?: boolean;
  format?: string;
  minimum?: number;
  maximum?: number;
};

/** Typed text by body path (`config.locationId`); checkboxes hold 'true' / 'false'. */
export type FormValues = Record<string, string>;

/** The `anyOf` branch of plain values offered as a select, and the object branch (a custom fieldset), if any. */
function choiceOf(s: JsonSchema): { options: unknown[]; object?: JsonSchema } | null {
  if (s.enum) return { options: s.enum };
  if (!s.anyOf) return null;
  const plain = s.anyOf.find((b) => b.enum);
  const object = s.anyOf.find((b) => b.type === 'object' && b.properties);
  return plain ? { options: plain.enum!, object } : null;
}

const kindOf = (s: JsonSchema): string => {
  if (s.anyOf) {
    const branch = s.anyOf.find((b) => b.type !== 'null');
    return branch ? kindOf(branch) : 'string';
  }
  return Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? 'string') : (s.type ?? 'string');
};

/** The custom branch's marker in a choice select. */
const CUSTOM = '__custom__';

/**
 * The JSON of an object schema's values (only what was typed: empty fields are left out, so the
 * server's defaults apply), or a problem at the path that could not be read.
 */
export function valueOf(schema: JsonSchema, values: FormValues, path: string): { value?: Record<string, unknown>; problem?: { field: string; message: string } } {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const at = `${path}.${key}`;
    const choice = choiceOf(prop);
    const raw = values[at];
    if (choice) {
      if (raw === CUSTOM && choice.object) {
        const nested = valueOf(choice.object, values, at);
        if (nested.problem) return nested;
        out[key] = nested.value ?? {};
      } else if (raw !== undefined && raw !== '') out[key] = choice.options.find((o) => String(o) === raw) ?? raw;
      continue;
    }
    const kind = kindOf(prop);
    if (kind === 'object' && prop.properties) {
      const nested = valueOf(prop, values, at);
      if (nested.problem) return nested;
      if (nested.value && Object.keys(nested.value).length > 0) out[key] = nested.value;
      continue;
    }
    if (raw === undefined || raw === '') continue;
    if (kind === 'boolean') out[key] = raw === 'true';
    else if (kind === 'integer' || kind === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n)) return { problem: { field: at, message: `${at}: expected a number` } };
      out[key] = n;
    } else if (kind === 'object') {
      try {
        out[key] = JSON.parse(raw);
      } catch {
        return { problem: { field: at, message: `${at}: expected a JSON object, e.g. {"a": "b"}` } };
      }
    } else out[key] = raw;
  }
  return { value: Object.keys(out).length > 0 ? out : undefined };
}

/** The message for the input at `path`: the problem names exactly it. */
function messageAt(error: unknown, path: string): string | undefined {
  if (error instanceof ApiProblem && error.field && error.field.replace(/^body\./, '') === path) return error.message;
  return undefined;
}

/** Every input path the form shows now (so a problem naming none of them is shown above the form). */
export function shownPaths(schema: JsonSchema, values: FormValues, path: string): string[] {
  const out: string[] = [];
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const at = `${path}.${key}`;
    out.push(at);
    const choice = choiceOf(prop);
    if (choice?.object && values[at] === CUSTOM) out.push(...shownPaths(choice.object, values, at));
    else if (!choice && kindOf(prop) === 'object' && prop.properties) out.push(...shownPaths(prop, values, at));
  }
  return out;
}

function hintOf(prop: JsonSchema): string | undefined {
  const def = prop.default !== undefined && typeof prop.default !== 'object' ? `Default: ${String(prop.default)}.` : '';
  const text = prop.description && def && !/[.!?)]$/.test(prop.description) ? `${prop.description}.` : prop.description;
  return [text, def].filter(Boolean).join(' ') || undefined;
}

/**
 * The inputs of an object schema, nested objects as fieldsets.
 *
 * @example
 * <SchemaFields schema={connector.config} path="config" values={values} onChange={set} error={create.error} />
 */
export function SchemaFields({ schema, path, values, onChange, error }: { schema: JsonSchema; path: string; values: FormValues; onChange: (path: string, value: string) => void; error: unknown }) {
  const required = new Set(schema.required ?? []);
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, prop]) => (
        <Property key={key} name={key} prop={prop} path={`${path}.${key}`} required={required.has(key)} values={values} onChange={onChange} error={error} />
      ))}
    </>
  );
}

function Property({ name, prop, path, required, values, onChange, error }: { name: string; prop: JsonSchema; path: string; required: boolean; values: FormValues; onChange: (path: string, value: string) => void; error: unknown }) {
  const label = prop.title ?? name;
  const message = messageAt(error, path);
  const hint = hintOf(prop);
  const value = values[path] ?? '';
  const choice = choiceOf(prop);
  if (choice) {
    return (
      <>
        <Field label={label} hint={hint} error={message}>
          {(p) => (
            <select {...p} name={path} value={value} required={required} onChange={(e) => onChange(path, e.target.value)}>
              {!required || prop.default !== undefined ? <option value="">{prop.default !== undefined ? `Default (${String(prop.default)})` : '— not set —'}</option> : <option value="" disabled>Choose…</option>}
              {choice.options.map((o) => <option key={String(o)} value={String(o)}>{String(o)}</option>)}
              {choice.object ? <option value={CUSTOM}>custom…</option> : null}
            </select>
          )}
        </Field>
        {choice.object && value === CUSTOM ? (
          <fieldset className="schema-fieldset">
            <legend>{label}: custom</legend>
            <SchemaFields schema={choice.object} path={path} values={values} onChange={onChange} error={error} />
          </fieldset>
        ) : null}
      </>
    );
  }
  const kind = kindOf(prop);
  if (kind === 'object' && prop.properties) return <ObjectFieldset name={name} prop={prop} path={path} values={values} onChange={onChange} error={error} message={message} />;
  if (kind === 'boolean') {
    return (
      <Field label={label} hint={hint} error={message}>
        {(p) => (
          <select {...p} name={path} value={value} required={required} onChange={(e) => onChange(path, e.target.value)}>
            <option value="">{prop.default !== undefined ? `Default (${prop.default ? 'yes' : 'no'})` : '— not set —'}</option>
            <option value="true">yes</option>
            <option value="false">no</option>
          </select>
        )}
      </Field>
    );
  }
  if (kind === 'object') {
    return (
      <Field label={label} hint={hint ?? 'A JSON object'} error={message}>
        {(p) => <textarea {...p} name={path} rows={3} required={required} className="mono" value={value} placeholder='{"key": "value"}' onChange={(e) => onChange(path, e.target.value)} />}
      </Field>
    );
  }
  const secret = prop.writeOnly === true || prop.format === 'password';
  const type = secret ? 'password' : kind === 'integer' || kind === 'number' ? 'number' : 'text';
  return (
    <Field label={label} hint={hint} error={message}>
      {(p) => (
        <input
          {...p}
          name={path}
          type={type}
          value={value}
          required={required}
          autoComplete={secret ? 'new-password' : 'off'}
          spellCheck={false}
          placeholder={prop.default !== undefined && typeof prop.default !== 'object' ? String(prop.default) : undefined}
          min={prop.minimum}
          max={prop.maximum !== undefined && prop.maximum < Number.MAX_SAFE_INTEGER ? prop.maximum : undefined}
          onChange={(e) => onChange(path, e.target.value)}
        />
      )}
    </Field>
  );
}

function ObjectFieldset({ name, prop, path, values, onChange, error, message }: { name: string; prop: JsonSchema; path: string; values: FormValues; onChange: (path: string, value: string) => void; error: unknown; message?: string }) {
  const [open, setOpen] = useState(false);
  const id = `fs-${path.replace(/[^A-Za-z0-9]/g, '-')}`;
  return (
    <fieldset className="schema-fieldset" aria-describedby={prop.description ? `${id}-help` : undefined}>
      <legend>
        <button type="button" className="btn btn-quiet" aria-expanded={open || Boolean(message)} aria-controls={id} onClick={() => setOpen(!open)}>
          {open || message ? '▾' : '▸'} {prop.title ?? name}
        </button>
      </legend>
      {prop.description ? <p id={`${id}-help`} className="hint small muted">{prop.description}</p> : null}
      {message ? <p className="field-error" role="alert">{message}</p> : null}
      <div id={id} className="schema-grid" hidden={!(open || message || hasErrorInside(error, path))}>
        <SchemaFields schema={prop} path={path} values={values} onChange={onChange} error={error} />
      </div>
    </fieldset>
  );
}

function hasErrorInside(error: unknown, path: string): boolean {
  return error instanceof ApiProblem && Boolean(error.field?.startsWith(`${path}.`));
}

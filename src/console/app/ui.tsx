import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError } from './api.js';

/** An error as AWS said it, and — for an AccessDenied — why the policy engine decided so. */
export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : new ApiError(0, 'Error', String((error as Error).message ?? error));
  return (
    <div class="alert error" role="alert">
      <strong>{e.code}</strong>: {e.message}
      {e.explanation && (
        <details open class="why">
          <summary>Why (iamlocal's policy engine)</summary>
          <p>{e.explanation}</p>
        </details>
      )}
    </div>
  );
}

export function Notice({ children, kind = 'success' }: { children: ComponentChildren; kind?: 'success' | 'info' | 'warning' }) {
  return <div class={`alert ${kind}`} role="status">{children}</div>;
}

/** Runs an async action, keeping its error and busy state for the page. */
export function useAction() {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run, setError };
}

/** Loads data once (and again when `deps` change or reload() is called). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  // Other inputs, other data: what was loaded for the old ones is not shown meanwhile (a reload keeps it).
  useEffect(() => setData(undefined), deps);
  useEffect(() => {
    let live = true;
    setError(null);
    load().then((d) => live && setData(d), (e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { data, error, reload: () => setTick((t) => t + 1) };
}

export interface Column<T> {
  key: string;
  label: string;
  /** The value sorted and filtered on (and shown, unless render). */
  value: (row: T) => string | number;
  render?: (row: T) => ComponentChildren;
}

/** A table as the AWS console's: filter, sort by any column, pages of `pageSize`, optional selection. */
export function Table<T>({
  rows, columns, rowKey, label, pageSize = 20, selected, onSelect, multi = true, empty = 'No resources to display',
}: {
  rows: T[]; columns: Column<T>[]; rowKey: (r: T) => string; label: string; pageSize?: number;
  selected?: string[]; onSelect?: (keys: string[]) => void; multi?: boolean; empty?: string;
}) {
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ key: string; asc: boolean }>({ key: columns[0].key, asc: true });
  const [page, setPage] = useState(0);
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const col = columns.find((c) => c.key === sort.key) ?? columns[0];
    const out = f ? rows.filter((r) => columns.some((c) => String(c.value(r)).toLowerCase().includes(f))) : rows.slice();
    out.sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      const d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return sort.asc ? d : -d;
    });
    return out;
  }, [rows, filter, sort]);
  const pages = Math.max(1, Math.ceil(shown.length / pageSize));
  const current = Math.min(page, pages - 1);
  const slice = shown.slice(current * pageSize, current * pageSize + pageSize);
  const toggle = (key: string) => {
    if (!onSelect) return;
    const sel = selected ?? [];
    if (!multi) onSelect(sel.includes(key) ? [] : [key]);
    else onSelect(sel.includes(key) ? sel.filter((k) => k !== key) : [...sel, key]);
  };
  return (
    <div class="table-wrap">
      <div class="table-tools">
        <input type="search" aria-label={`Filter ${label}`} placeholder={`Filter ${label}`} value={filter}
          onInput={(e) => { setFilter((e.target as HTMLInputElement).value); setPage(0); }} />
        <span class="count">{shown.length} {shown.length === 1 ? 'match' : 'matches'}</span>
        <nav class="pager" aria-label={`${label} pages`}>
          <button type="button" aria-label="Previous page" disabled={current === 0} onClick={() => setPage(current - 1)}>‹</button>
          <span>{current + 1} / {pages}</span>
          <button type="button" aria-label="Next page" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>›</button>
        </nav>
      </div>
      <div class="scroll">
        <table aria-label={label}>
          <thead>
            <tr>
              {onSelect && <th class="sel"><span class="sr-only">Select</span></th>}
              {columns.map((c) => (
                <th key={c.key} aria-sort={sort.key === c.key ? (sort.asc ? 'ascending' : 'descending') : 'none'}>
                  <button type="button" class="sort" onClick={() => setSort({ key: c.key, asc: sort.key === c.key ? !sort.asc : true })}>
                    {c.label}{sort.key === c.key ? (sort.asc ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {slice.length === 0 && (
              <tr><td colSpan={columns.length + (onSelect ? 1 : 0)} class="empty">{empty}</td></tr>
            )}
            {slice.map((r) => {
              const key = rowKey(r);
              return (
                <tr key={key} class={selected?.includes(key) ? 'selected' : ''}>
                  {onSelect && (
                    <td class="sel">
                      <input type={multi ? 'checkbox' : 'radio'} aria-label={`Select ${key}`} checked={selected?.includes(key) ?? false} onChange={() => toggle(key)} />
                    </td>
                  )}
                  {columns.map((c) => <td key={c.key}>{c.render ? c.render(r) : c.value(r)}</td>)}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function Field({ label, children, hint }: { label: string; children: ComponentChildren; hint?: string }) {
  return (
    <div class="field">
      <label>
        <span class="label">{label}</span>
        {children}
      </label>
      {hint && <span class="hint">{hint}</span>}
    </div>
  );
}

export function Tabs({ tabs, current, onChange }: { tabs: string[]; current: string; onChange: (t: string) => void }) {
  return (
    <div class="tabs" role="tablist">
      {tabs.map((t) => (
        <button type="button" role="tab" key={t} aria-selected={t === current} class={t === current ? 'active' : ''} onClick={() => onChange(t)}>{t}</button>
      ))}
    </div>
  );
}

export function Link({ to, children }: { to: string; children: ComponentChildren }) {
  return <a href={`#${to}`}>{children}</a>;
}

export function go(to: string): void {
  location.hash = to;
}

export function date(s: string | undefined): string {
  if (!s) return '-';
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** A file the browser saves (the access key .csv): made here, never fetched by URL. */
export function download(name: string, content: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

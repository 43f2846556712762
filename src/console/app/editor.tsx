import { useEffect, useRef, useState } from 'preact/hooks';
import { EditorView, basicSetup } from 'codemirror';
import { json } from '@codemirror/lang-json';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { validatePolicy, type Finding } from './api.js';

/** The CSP nonce the page was served with: CodeMirror adds its style sheet under it. */
const nonce = document.querySelector('meta[name="csp-nonce"]')?.getAttribute('content') ?? '';

const SEVERITY: Record<Finding['findingType'], Diagnostic['severity']> = { ERROR: 'error', SECURITY_WARNING: 'warning', WARNING: 'warning', SUGGESTION: 'info' };

/**
 * The JSON policy editor: CodeMirror 6, with the findings of iamlocal's validator (IAM
 * Access Analyzer's checks) marked in the text and listed below at line and column.
 */
export function PolicyEditor({ value, onChange, kind = 'identity', label = 'Policy editor' }: {
  value: string; onChange: (text: string, findings: Finding[]) => void; kind?: string; label?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const [findings, setFindings] = useState<Finding[] | undefined>(undefined);
  const latest = useRef(onChange);
  latest.current = onChange;
  const lastFindings = useRef<Finding[]>([]);
  const viewRef = useRef<EditorView | null>(null);
  /** Puts the cursor on a finding and scrolls the editor to it. */
  const reveal = (f: Finding) => {
    const view = viewRef.current;
    const at = f.locations[0]?.span.start.offset;
    if (!view || at === undefined) return;
    const pos = Math.min(at, view.state.doc.length);
    view.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
    view.focus();
  };
  useEffect(() => {
    const check = linter(async (view) => {
      const text = view.state.doc.toString();
      let found: Finding[];
      try {
        found = await validatePolicy(text, kind);
      } catch {
        return [];
      }
      setFindings(found);
      lastFindings.current = found;
      latest.current(text, found);
      const len = view.state.doc.length;
      return found.map((f) => {
        const span = f.locations[0]?.span;
        const from = Math.min(span?.start.offset ?? 0, len);
        const to = Math.min(Math.max(span?.end.offset ?? from, from + 1), len);
        return { from, to: Math.max(to, from), severity: SEVERITY[f.findingType], message: `${f.issueCode}: ${f.findingDetails}${f.hint ? ` (${f.hint})` : ''}` };
      });
    }, { delay: 250 });
    const view = new EditorView({
      doc: value,
      parent: host.current!,
      extensions: [
        basicSetup, json(), lintGutter(), check, EditorView.cspNonce.of(nonce),
        EditorView.contentAttributes.of({ 'aria-label': label }),
        EditorView.updateListener.of((u) => { if (u.docChanged) latest.current(u.state.doc.toString(), lastFindings.current); }),
      ],
    });
    viewRef.current = view;
    // The parent knows the text from the start, before any edit or check.
    latest.current(value, []);
    return () => view.destroy();
  }, []);
  const errors = (findings ?? []).filter((f) => f.findingType === 'ERROR').length;
  const others = (findings ?? []).length - errors;
  return (
    <div class="editor">
      <div ref={host} class="cm-host" />
      <div class="findings" aria-live="polite" data-testid="findings">
        <p class="summary">{findings === undefined ? 'Checking…' : findings.length === 0 ? 'No findings.' : `${errors} error${errors === 1 ? '' : 's'}, ${others} other finding${others === 1 ? '' : 's'}`}</p>
        <ul>
          {(findings ?? []).map((f, i) => {
            const at = f.locations[0]?.span.start;
            return (
              <li key={i} class={f.findingType.toLowerCase()}>
                <span class="type">{f.findingType.replace('_', ' ')}</span>{' '}
                {at && <button type="button" class="link at" onClick={() => reveal(f)} aria-label={`Go to line ${at.line}, column ${at.column}`}>Ln {at.line}, Col {at.column}</button>}{' '}
                <span class="code">{f.issueCode}</span>: {f.findingDetails}{f.hint ? ` (${f.hint})` : ''}
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}

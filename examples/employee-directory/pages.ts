/** The app's pages, rendered on the server; no script anywhere (the CSP forbids it). */
import type { AwsProblem } from './aws-errors.js';
import { BADGES } from './badges.js';
import type { Employee } from './employees.js';
import type { EmployeeForm } from './forms.js';
import { html, type Html } from './html.js';
import type { InstanceInfo } from './instance.js';

export interface Chrome {
  instance?: InstanceInfo;
  notice?: string;
  problems?: AwsProblem[];
}

export interface Listed extends Employee {
  photoUrl?: string;
}

function layout(title: string, chrome: Chrome, body: Html): Html {
  const where = chrome.instance
    ? html`Served from instance <code>${chrome.instance.instanceId}</code> in ${chrome.instance.availabilityZone}.`
    : html`Instance metadata not available.`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Employee Directory</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header><h1><a href="/">Employee Directory</a></h1><a class="button" href="/employees/new">Add</a></header>
<main>
${chrome.notice ? html`<p class="notice" role="status">${chrome.notice}</p>` : ''}
${(chrome.problems ?? []).map(problem)}
${body}
</main>
<footer>${where}</footer>
</body>
</html>
`;
}

/** An AWS error as the user sees it: which call, AWS's code and AWS's message. */
function problem(p: AwsProblem): Html {
  return html`<div class="problem" role="alert"><strong>${p.code}</strong> ${p.call ? html`${p.call}: ` : ''}${p.message}</div>`;
}

function badgeList(badges: string[]): Html[] {
  return badges.filter((b) => BADGES.has(b)).map((b) => html`<span class="badge" data-badge="${b}">${BADGES.get(b)}</span>`);
}

export function listPage(employees: Listed[] | undefined, chrome: Chrome): Html {
  const body =
    employees === undefined
      ? html``
      : employees.length === 0
        ? html`<p class="empty">The directory is empty. <a href="/employees/new">Add the first employee</a>.</p>`
        : html`<table>
<tbody>
${employees.map(
  (e) => html`<tr data-id="${e.id}">
<td class="photo">${e.photoUrl ? html`<img class="photo" alt="Photo of ${e.fullName}" src="${e.photoUrl}">` : html`<div class="no-photo"></div>`}</td>
<td><a class="name" href="/employees/${encodeURIComponent(e.id)}/edit">${e.fullName}</a> ${badgeList(e.badges)}
<div class="meta"><span class="job-title">${e.jobTitle}</span> · <span class="location">${e.location}</span></div></td>
<td class="actions"><a href="/employees/${encodeURIComponent(e.id)}/delete">Delete</a></td>
</tr>
`,
)}</tbody>
</table>`;
  return layout('Home', chrome, body);
}

export interface FormValues extends Omit<EmployeeForm, 'photo'> {
  id?: string;
  photoUrl?: string;
}

export function formPage(values: FormValues, chrome: Chrome, missing: string[] = []): Html {
  const editing = values.id !== undefined;
  const action = editing ? `/employees/${encodeURIComponent(values.id!)}/edit` : '/employees';
  const field = (name: string, label: string, value: string) =>
    html`<label>${label}<input type="text" name="${name}" value="${value}" required maxlength="200"></label>`;
  const body = html`<h2>${editing ? `Edit ${values.fullName}` : 'Add an employee'}</h2>
${missing.length ? html`<div class="problem" role="alert"><strong>Missing</strong> ${missing.join(', ')}</div>` : ''}
<form class="employee" method="post" action="${action}" enctype="multipart/form-data">
${values.photoUrl ? html`<img class="portrait" alt="Photo of ${values.fullName}" src="${values.photoUrl}">` : ''}
<label>Photo${editing ? ' (leave empty to keep the current one)' : ''}<input type="file" name="photo" accept="image/png,image/jpeg,image/gif,image/webp"></label>
${field('full_name', 'Full name', values.fullName)}
${field('location', 'Location', values.location)}
${field('job_title', 'Job title', values.jobTitle)}
<fieldset><legend>Badges</legend>
${[...BADGES].map(
  ([value, label]) =>
    html`<label><input type="checkbox" name="badges" value="${value}"${values.badges.includes(value) ? html` checked` : ''}> ${label}</label>
`,
)}</fieldset>
<p><button type="submit">Save</button> <a class="button secondary" href="/">Cancel</a></p>
</form>`;
  return layout(editing ? 'Edit' : 'Add', chrome, body);
}

export function deletePage(employee: Employee, chrome: Chrome): Html {
  const body = html`<h2>Delete ${employee.fullName}?</h2>
<p class="meta">${employee.jobTitle} · ${employee.location}</p>
<form method="post" action="/employees/${encodeURIComponent(employee.id)}/delete">
<p><button class="danger" type="submit">Delete</button> <a class="button secondary" href="/">Cancel</a></p>
</form>`;
  return layout('Delete', chrome, body);
}

export function messagePage(title: string, message: string, chrome: Chrome): Html {
  return layout(title, chrome, html`<h2>${title}</h2><p>${message}</p><p><a href="/">Back to the directory</a></p>`);
}

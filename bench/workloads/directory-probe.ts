/**
 * Before the directory workload's timed phases: every query once, untimed, following its
 * next_cursor, as the check that the answers are right and the source of the cursors the mix
 * then fetches as "next page" requests. Every user returned must match the query by the
 * domain's definition (and, with DIRECTORY_VISIBILITY=shared, share a conversation with the
 * searcher); no user may come twice; a walk to the end must find exactly the users the seed
 * counted, and a first page must hold min(limit, matches) users and a cursor exactly when
 * there are more.
 */
import type { DirectoryVisibility } from '@pneumatic/protocol';
import { createAgent, requestRaw } from '../lib/http.js';
import type { RunningTarget } from '../lib/targets.js';
import { DIRECTORY_CASES, userMatches, type DirectoryCase, type DirectoryKind } from './directory-cases.js';
import type { DirectoryFixture } from './directory-seed.js';

/** One request of the timed mix. */
export interface DirectoryRequest {
  kind: DirectoryKind;
  /** The query, and the page for next pages ("ma, page 5"). */
  label: string;
  path: string;
}

export interface CaseCheck {
  q: string;
  kind: DirectoryCase['kind'];
  /** Users the searcher should find (counted while seeding). */
  expected: number;
  /** Pages fetched, users they held, and whether the walk reached the last page. */
  pages: number;
  users: number;
  complete: boolean;
  /** What was wrong (at most a few lines); empty when every answer was right. */
  problems: string[];
}

interface DirectoryPage {
  users: { id: string; username: string; display_name: string | null }[];
  next_cursor: string | null;
}

/** Cases with at most this many matches are walked to their last page (a check of completeness). */
const FULL_WALK_MAX_USERS = 1000;

export function directoryPath(q: string, limit: number, cursor?: string): string {
  return `/users?${new URLSearchParams({ q, limit: String(limit), ...(cursor === undefined ? {} : { cursor }) }).toString()}`;
}

/** Fetches one case's pages; returns the check and the next pages to put in the mix. */
async function walk(fetchPage: (path: string) => Promise<DirectoryPage | string>, c: DirectoryCase, expected: number, limit: number, visible: Set<string> | null): Promise<{ check: CaseCheck; nextPages: DirectoryRequest[] }> {
  const check: CaseCheck = { q: c.q, kind: c.kind, expected, pages: 0, users: 0, complete: false, problems: [] };
  const problem = (text: string) => check.problems.length < 3 && check.problems.push(text);
  const nextPages: DirectoryRequest[] = [];
  const seen = new Set<string>();
  // A full walk may take one page more than the matches fill (an empty last page), no further.
  const wanted = Math.max(c.pages ?? 1, expected <= FULL_WALK_MAX_USERS ? Math.ceil(expected / limit) + 1 : 1);
  let path = directoryPath(c.q, limit);
  while (check.pages < wanted) {
    const page = await fetchPage(path);
    if (typeof page === 'string') {
      problem(`page ${check.pages + 1}: ${page}`);
      break;
    }
    check.pages += 1;
    check.users += page.users.length;
    for (const user of page.users) {
      if (seen.has(user.id)) problem(`page ${check.pages}: ${user.username} came twice`);
      seen.add(user.id);
      if (!userMatches(c.q, user.username, user.display_name)) problem(`page ${check.pages}: ${user.username} (${user.display_name ?? 'no display name'}) does not match`);
      if (visible && !visible.has(user.id)) problem(`page ${check.pages}: ${user.username} shares no conversation with the searcher`);
    }
    if (page.next_cursor === null) {
      check.complete = true;
      break;
    }
    if (page.users.length < limit) problem(`page ${check.pages}: ${page.users.length} users and a cursor`);
    path = directoryPath(c.q, limit, page.next_cursor);
    if (check.pages < (c.pages ?? 1)) nextPages.push({ kind: 'next page', label: `${c.q}, page ${check.pages + 1}`, path });
  }
  if (check.complete && check.users !== expected) problem(`found ${check.users} users in all, expected ${expected}`);
  if (!check.complete && check.pages > 0 && check.users >= expected) problem(`still a cursor after ${check.users} users, of ${expected} that match`);
  return { check, nextPages };
}

/**
 * Walks every case (untimed); returns the checks and the mix: each case's first page, then the
 * next pages of the cases that ask for them.
 */
export async function probeDirectory(target: RunningTarget, fixture: DirectoryFixture, visibility: DirectoryVisibility, limit: number): Promise<{ checks: CaseCheck[]; mix: DirectoryRequest[] }> {
  const agent = createAgent(1);
  const token = fixture.searcher.token;
  const fetchPage = async (path: string): Promise<DirectoryPage | string> => {
    const res = await requestRaw(agent, target.baseUrl, 'GET', path, { token, timeoutMs: 120_000 });
    const body = res.body.toString('utf8');
    return res.status === 200 ? (JSON.parse(body) as DirectoryPage) : `answered ${res.status}: ${body.slice(0, 200)}`;
  };
  const visible = visibility === 'shared' ? fixture.visibleToSearcher : null;
  const checks: CaseCheck[] = [];
  const firstPages: DirectoryRequest[] = [];
  const nextPages: DirectoryRequest[] = [];
  try {
    for (const [i, c] of DIRECTORY_CASES.entries()) {
      const result = await walk(fetchPage, c, fixture.expected[visibility][i]!, limit, visible);
      checks.push(result.check);
      firstPages.push({ kind: c.kind, label: c.q, path: directoryPath(c.q, limit) });
      nextPages.push(...result.nextPages);
    }
  } finally {
    agent.destroy();
  }
  return { checks, mix: [...firstPages, ...nextPages] };
}

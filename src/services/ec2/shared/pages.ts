import { ec2Errors } from './errors.js';
import { decodeNextToken, encodeNextToken } from './filters.js';

export interface PageInput {
  MaxResults?: number;
  NextToken?: string;
}

/** EC2's rules for MaxResults: between `min` and `max`, and not with a list of IDs (named `idsParam`). */
export function checkPaging(input: PageInput, ids: string[] | undefined, idsParam: string, bounds: { min: number; max: number }): void {
  if (input.MaxResults === undefined) return;
  if (ids?.length) throw ec2Errors.invalidParameterCombination(`The parameter ${idsParam} cannot be used with the parameter maxResults`);
  if (input.MaxResults < bounds.min || input.MaxResults > bounds.max) {
    throw ec2Errors.invalidParameterValue(`Value ( ${input.MaxResults} ) for parameter maxResults is invalid. Expecting a value between ${bounds.min} and ${bounds.max}.`);
  }
}

/** One page of a Describe* listing: the token names the page's last item. */
export function pageOf<T>(items: T[], idOf: (item: T) => string, input: PageInput): { page: T[]; next: string | undefined } {
  let start = 0;
  if (input.NextToken !== undefined) {
    const after = decodeNextToken(input.NextToken);
    start = items.findIndex((i) => idOf(i) === after) + 1;
    if (start === 0) throw ec2Errors.invalidNextToken();
  }
  const end = input.MaxResults === undefined ? items.length : start + input.MaxResults;
  const page = items.slice(start, end);
  return { page, next: end < items.length ? encodeNextToken(idOf(page[page.length - 1])) : undefined };
}

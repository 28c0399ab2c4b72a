// The server's limits, as the page checks them before sending anything, stated once for the page:
// the inputs get their maxlength from here, not from index.html. The server's own constants are the
// source: tests/browser/test_page_source.py holds every value here to them.

// A question (chalicelib.web.query_route.MAX_QUESTION_CHARS).
export const MAX_QUESTION_CHARS = 500;
// A pet's name and breed (chalicelib.domain.filters.MAX_TEXT), and its type (chalicelib.domain.pets.MAX_TYPE).
export const MAX_TEXT = 100;
export const MAX_TYPE = 30;
// Age in years and price in dollars, from 0 (chalicelib.domain.filters.MAX_AGE and MAX_PRICE),
// each with at most two decimals.
export const MAX_AGE = 200;
export const MAX_PRICE = 1_000_000;
export const MAX_DECIMALS = 2;

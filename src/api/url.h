/* url.h: request URLs for the API clients: a base URL (checked by
 * util/baseurl.h) joined with a path and a query string.
 *
 * Ids in paths come from users (a workspace id pasted from somewhere, a
 * client id typed at a prompt), so every path segment and query value is
 * percent-encoded: an id can never add a path level, a query or a fragment. */
#ifndef AIDESK_API_URL_H
#define AIDESK_API_URL_H

#include "util/buf.h"

/* base (any number of trailing slashes tolerated) + path (starting with
 * '/'), with exactly one slash between. Caller frees. */
char *api_url_join(const char *base, const char *path);

/* Appends s percent-encoded for a path segment or a query value: only the
 * RFC 3986 unreserved characters stay as they are. A segment made only of
 * dots also has its dots encoded, so "." and ".." cannot be normalised away
 * by the HTTP library into another path. */
void api_url_escape_append(buf_t *b, const char *s);
/* The same as a new string. Caller frees. */
char *api_url_escape(const char *s);

/* Appends "?name=value" or "&name=value" (value escaped; name is a literal
 * from our code) to a URL being built; nothing when value is NULL. */
void api_url_add_query(buf_t *url, const char *name, const char *value);

#endif

/* url.h: base URLs, paths and query strings for the API clients.
 *
 * Ids in paths come from users (a workspace id pasted from somewhere, a
 * client id typed at a prompt), so every path segment and query value is
 * percent-encoded: an id can never add a path level, a query or a fragment.
 * Base URLs are checked before use; the config module asks whether a base
 * URL is loopback to decide if plain http is acceptable. */
#ifndef AIDESK_API_URL_H
#define AIDESK_API_URL_H

#include <stdbool.h>

#include "util/buf.h"

typedef struct api_url {
    char *scheme;  /* "http" or "https", lower case */
    char *host;    /* lower case; IPv6 without brackets */
    int port;      /* explicit port, or 0 */
    char *path;    /* "" or the path prefix, without trailing slashes */
    bool loopback; /* 127.0.0.0/8, ::1 (also IPv4-mapped) or "localhost" */
} api_url;

/* Parses an http(s) base URL. Refused, with *err set to a new message:
 * other schemes, user info (credentials do not belong in a URL), a query or
 * fragment, an empty or malformed host, a port outside 1..65535, spaces or
 * control characters. On success fill *u (release with api_url_clear). */
bool api_url_parse(const char *url, api_url *u, char **err);
void api_url_clear(api_url *u);

/* Whether url parses and names a loopback host. */
bool api_url_is_loopback(const char *url);

/* "scheme://host[:port]" of url, for messages (never user info or path);
 * NULL if url does not parse. Caller frees. */
char *api_url_origin(const char *url);

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

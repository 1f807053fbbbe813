/* baseurl.h: the one policy for the base URLs of the two services.
 *
 * A base URL is scheme://host[:port][/path]. The scheme is https, or http
 * only for a host on this machine or when the user explicitly allows it
 * (allow_http), since the key would otherwise cross the network in clear.
 * The host is a DNS name (letters, digits, '-' and '_', no label starting
 * or ending with '-'; an IDN in its xn-- form), an IPv4 address or a
 * bracketed IPv6 address; the port 1..65535; the path RFC 3986 characters
 * and %XX escapes. Refused: user info (credentials do not belong in a URL,
 * and no message repeats a URL that may hold one), a query or a fragment
 * (request paths are appended to the base), anything longer than
 * BASEURL_MAX bytes.
 *
 * The URL is read by libcurl's URL API, the parser of the library that
 * will connect to it: the host judged here (this machine or not) is the
 * host the requests go to, however it is spelled ("127.1" is 127.0.0.1). */
#ifndef AIDESK_UTIL_BASEURL_H
#define AIDESK_UTIL_BASEURL_H

#include <stdbool.h>

/* Longest base URL accepted. */
#define BASEURL_MAX 2048

/* Checks url. On success returns 0 and, when normalized is not NULL, sets
 * it to a new string (caller frees): scheme and host in lower case,
 * trailing slashes removed, nothing else changed. Otherwise returns -1
 * with *err set to a new one-line message (err may be NULL). */
int baseurl_check(const char *url, bool allow_http, char **normalized, char **err);

/* Whether url passes baseurl_check (http allowed) and names this machine:
 * localhost, 127.0.0.0/8, ::1 or ::ffff:127.x.x.x. */
bool baseurl_is_loopback(const char *url);

/* "scheme://host[:port]" of url in lower case, for messages (never user
 * info, never the path); NULL when url does not pass baseurl_check (http
 * allowed). Caller frees. */
char *baseurl_origin(const char *url);

#endif

/* url.h: checking the base URLs a user configures.
 *
 * A base URL is scheme://host[:port][/path]: the scheme https (http only for
 * a loopback host, or when the user explicitly allows it, since the key
 * would otherwise cross the network in clear), a DNS name, IPv4 address or
 * bracketed IPv6 address, an optional port 1..65535 and an optional path of
 * RFC 3986 characters. User info (user:password@) is refused, as are a
 * query and a fragment: request paths are appended to the base. */
#ifndef AIDESK_CONFIG_URL_H
#define AIDESK_CONFIG_URL_H

#include <stdbool.h>

/* Longest base URL accepted. */
#define CONFIG_URL_MAX 2048

/* Whether host names this machine: localhost, 127.0.0.0/8, ::1 (with or
 * without brackets) or ::ffff:127.x.x.x. */
bool config_host_is_loopback(const char *host);

/* Checks url. On success returns 0 with *normalized set to a new string
 * (caller frees): scheme and host in lower case, trailing slashes removed.
 * Otherwise returns -1 with *err set to a new one-line message (caller
 * frees; err may be NULL) that does not repeat a URL holding user info. */
int config_url_check(const char *url, bool allow_http, char **normalized, char **err);

#endif

/* xdg.c: XDG base directories (see xdg.h). */
#include "config.h"
#include "config/xdg.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "util/mem.h"

char *config_home_dir(void)
{
    const char *home = getenv("HOME");
    if (home && home[0] == '/')
        return xstrdup(home);
    long size = sysconf(_SC_GETPW_R_SIZE_MAX);
    size_t n = size > 0 ? (size_t)size : 16384;
    char *scratch = xmalloc(n);
    struct passwd pw, *found = NULL;
    char *dir = NULL;
    if (getpwuid_r(getuid(), &pw, scratch, n, &found) == 0 && found && found->pw_dir &&
        found->pw_dir[0] == '/')
        dir = xstrdup(found->pw_dir);
    free(scratch);
    return dir;
}

int config_xdg_dir(const char *var, const char *home_rel, char **out, char **err)
{
    const char *base = getenv(var);
    if (base && base[0] == '/') {
        *out = xasprintf("%s/aidesk", base);
        return 0;
    }
    char *home = config_home_dir();
    if (!home) {
        if (err)
            *err = xasprintf("cannot find a home directory: set HOME or %s", var);
        return -1;
    }
    *out = xasprintf("%s/%s/aidesk", home, home_rel);
    free(home);
    return 0;
}

#include "config.h"
#include "xdgtmp.h"

#include <stdio.h>
#include <stdlib.h>

int xdgtmp_make(char *dir, size_t len, const char *tag)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, len, "%s/aidesk-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
    if (!mkdtemp(dir))
        return -1;
    static const char *const vars[][2] = {
        {"XDG_DATA_HOME", "data"}, {"XDG_STATE_HOME", "state"}, {"XDG_CONFIG_HOME", "config"}};
    for (size_t i = 0; i < 3; i++) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, vars[i][1]);
        if (setenv(vars[i][0], p, 1) != 0)
            return -1;
    }
    return 0;
}

void xdgtmp_remove(const char *dir)
{
    if (!dir || !*dir)
        return;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "xdgtmp: could not remove %s\n", dir);
}

/* callctl_play.c: a player for replies' WAV files (callctl_play.h). */
#include "config.h"
#include "gate/callctl_play.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/mem.h"

extern char **environ;

/* The players started and not yet reaped: only these are waited for, so
 * that other children of the program keep their exit status. */
#define MAX_PLAYERS 16
static pid_t players[MAX_PLAYERS];

static bool on_path(const char *prog)
{
    if (strchr(prog, '/'))
        return access(prog, X_OK) == 0;
    const char *path = getenv("PATH");
    if (!path)
        return false;
    char *copy = xstrdup(path);
    bool found = false;
    for (char *save = NULL, *d = strtok_r(copy, ":", &save); d && !found;
         d = strtok_r(NULL, ":", &save)) {
        char *full = xasprintf("%s/%s", *d ? d : ".", prog);
        found = access(full, X_OK) == 0;
        free(full);
    }
    free(copy);
    return found;
}

const char *callplay_find(void)
{
    static char chosen[256];
    const char *env = getenv("AIDESK_PLAYER");
    if (env && *env) {
        if (!strcmp(env, "none") || !on_path(env))
            return NULL;
        snprintf(chosen, sizeof chosen, "%s", env);
        return chosen;
    }
    if (on_path("aplay"))
        return "aplay";
    if (on_path("paplay"))
        return "paplay";
    return NULL;
}

pid_t callplay_start(const char *player, const char *path)
{
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return -1;
    /* No terminal I/O: the console owns the screen. */
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    const char *base = strrchr(player, '/') ? strrchr(player, '/') + 1 : player;
    char *argv[4] = {(char *)player, NULL, NULL, NULL};
    if (!strcmp(base, "aplay")) {
        argv[1] = (char *)"-q";
        argv[2] = (char *)path;
    } else {
        argv[1] = (char *)path;
    }
    pid_t pid;
    int rc = posix_spawnp(&pid, player, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return -1;
    for (int i = 0; i < MAX_PLAYERS; i++) {
        if (!players[i]) {
            players[i] = pid;
            break;
        }
    }
    return pid;
}

void callplay_reap(void)
{
    for (int i = 0; i < MAX_PLAYERS; i++) {
        if (players[i] && waitpid(players[i], NULL, WNOHANG) != 0)
            players[i] = 0;
    }
}

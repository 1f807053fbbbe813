/* simlaunch_env.c: the shell lines that point another terminal at the
 * demo's simulator, on stderr and in a file (simlaunch.h). */
#include "config.h"
#include "demo/simlaunch.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/file.h"
#include "store/paths.h"
#include "util/buf.h"
#include "util/mem.h"

char *simlaunch_exports(const simlaunch *s)
{
    /* The URL is ours (http://127.0.0.1:PORT) and the keys are the
     * simulator's published demo keys: nothing here needs quoting or
     * hiding. */
    const char *url = simlaunch_url(s);
    return xasprintf("export AIASSIST_BASE_URL=%s\n"
                     "export AIASSIST_API_KEY=%s\n"
                     "export AI_GATE_BASE_URL=%s\n"
                     "export AI_GATE_PROJECT_ID=%s\n",
                     url, SIMLAUNCH_API_KEY, url, SIMLAUNCH_PROJECT_ID);
}

static char *env_path(char **err)
{
    char *dir = NULL;
    if (store_state_dir(&dir, err) != 0)
        return NULL;
    char *path = xasprintf("%s/demo.env", dir);
    free(dir);
    return path;
}

char *simlaunch_share(const simlaunch *s, char **err)
{
    *err = NULL;
    char *path = env_path(err);
    if (!path)
        return NULL;
    buf_t b = BUF_INIT;
    buf_printf(&b, "# aidesk demo: its simulator, while the demo that wrote this runs\n");
    char *lines = simlaunch_exports(s);
    buf_append_str(&b, lines);
    free(lines);
    int rc = store_write_atomic(path, b.data, b.len, err);
    buf_free(&b);
    if (rc != 0) {
        free(path);
        return NULL;
    }
    return path;
}

void simlaunch_unshare(const simlaunch *s, const char *path)
{
    if (!s || !path)
        return;
    char *data = NULL, *err = NULL;
    size_t len = 0;
    if (store_read_file(path, 4096, &data, &len, &err) != 0) {
        free(err);
        return;
    }
    /* Another demo started since: the file is its now. */
    char *mine = xasprintf("AIASSIST_BASE_URL=%s\n", simlaunch_url(s));
    if (strstr(data, mine))
        unlink(path);
    free(mine);
    free(data);
}

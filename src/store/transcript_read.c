/* transcript_read.c: reading transcripts back and listing them (see
 * transcript.h). */
#include "config.h"
#include "store/transcript.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_priv.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/jsonu.h"
#include "util/mem.h"

/* Parses one complete line; a JSON object goes to the callback. Returns
 * false when the callback asked to stop. */
static bool take_line(const char *s, size_t n, store_record_cb cb, void *ud, store_load_stats *st)
{
    if (n > 0 && s[n - 1] == '\r')
        n--;
    if (n == 0)
        return true;
    char *perr = NULL;
    json_object *o = jsonu_parse(s, n, &perr);
    free(perr);
    if (!o || !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        st->malformed++;
        return true;
    }
    st->records++;
    bool go_on = cb(ud, o);
    json_object_put(o);
    return go_on;
}

/* Hands every complete line of fd to take_line. Returns 0, or an errno. */
static int read_lines(int fd, store_record_cb cb, void *ud, store_load_stats *st)
{
    buf_t pending = BUF_INIT;
    bool skipping = false; /* inside a line that grew past the limit */
    bool go_on = true;
    int e = 0;
    while (go_on) {
        buf_reserve(&pending, 65536);
        ssize_t r = read(fd, pending.data + pending.len, 65536);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            e = errno;
            break;
        }
        if (r == 0) {
            st->torn = pending.len > 0 || skipping;
            break;
        }
        size_t from = pending.len;
        pending.len += (size_t)r;
        pending.data[pending.len] = '\0';
        size_t start = 0;
        const char *nl;
        while (go_on && (nl = memchr(pending.data + from, '\n', pending.len - from))) {
            size_t end = (size_t)(nl - pending.data);
            if (skipping)
                skipping = false; /* the end of the over-long line, already counted */
            else
                go_on = take_line(pending.data + start, end - start, cb, ud, st);
            start = from = end + 1;
        }
        buf_consume(&pending, start);
        if (!skipping && pending.len > STORE_TRANSCRIPT_MAX_LINE) {
            st->malformed++;
            skipping = true;
        }
        if (skipping)
            buf_clear(&pending);
    }
    buf_free(&pending);
    return e;
}

int store_transcript_load(const char *path, store_record_cb cb, void *ud, store_load_stats *stats,
                          char **err)
{
    store_load_stats local;
    store_load_stats *st = stats ? stats : &local;
    memset(st, 0, sizeof *st);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return err_set(err, "cannot open %s: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        int e = errno;
        close(fd);
        return err_set(err, "cannot examine %s: %s", path, strerror(e));
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        return err_set(err, "%s is not a regular file", path);
    }
    int e = read_lines(fd, cb, ud, st);
    close(fd); /* read-only */
    if (e)
        return err_set(err, "cannot read %s: %s", path, strerror(e));
    return 0;
}

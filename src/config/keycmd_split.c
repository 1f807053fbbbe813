/* keycmd_split.c: splitting a key command into words, without a shell
 * (the rules are in keycmd.h). */
#include "config.h"
#include "config/keycmd.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/mem.h"
#include "util/sanitize.h"

typedef struct words {
    char **v;
    size_t n, cap;
    buf_t cur;
    bool in_word;
} words;

static void push_word(words *w)
{
    w->v = xgrow(w->v, &w->cap, w->n + 2, sizeof *w->v);
    w->v[w->n++] = buf_steal(&w->cur);
    w->v[w->n] = NULL;
    w->in_word = false;
}

static int split_fail(words *w, char **err, const char *msg)
{
    buf_free(&w->cur);
    keycmd_argv_free(w->v); /* NULL-terminated, or NULL */
    return err_set(err, "%s", msg);
}

/* Characters a shell would have given a meaning to. */
static bool is_shell_syntax(char c)
{
    return c && strchr("|;&<>()$`", c) != NULL;
}

int keycmd_split(const char *cmd, char ***argv, char **err)
{
    words w = {NULL, 0, 0, BUF_INIT, false};
    const char *p = cmd;
    while (*p) {
        char c = *p;
        if (c == ' ' || c == '\t' || c == '\n') {
            if (w.in_word)
                push_word(&w);
            p++;
        } else if (c == '\'') {
            const char *end = strchr(p + 1, '\'');
            if (!end)
                return split_fail(&w, err, "unterminated single quote");
            buf_append(&w.cur, p + 1, (size_t)(end - p - 1));
            w.in_word = true;
            p = end + 1;
        } else if (c == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1] && strchr("\"\\$`", p[1]))
                    p++;
                buf_append_char(&w.cur, *p);
            }
            if (!*p)
                return split_fail(&w, err, "unterminated double quote");
            w.in_word = true;
            p++;
        } else if (c == '\\') {
            if (!p[1])
                return split_fail(&w, err, "backslash at the end of the command");
            if (p[1] != '\n') {
                buf_append_char(&w.cur, p[1]);
                w.in_word = true;
            }
            p += 2;
        } else if (is_shell_syntax(c) || ((c == '~' || c == '#') && !w.in_word)) {
            return split_fail(
                &w, err,
                "shell syntax (| ; & < > ( ) $ ` ~ #) is not interpreted: aidesk runs "
                "the command without a shell; quote the character, or write "
                "sh -c '...' to use a shell");
        } else {
            buf_append_char(&w.cur, c);
            w.in_word = true;
            p++;
        }
    }
    if (w.in_word)
        push_word(&w);
    if (w.n == 0)
        return split_fail(&w, err, "empty command");
    buf_free(&w.cur);
    *argv = w.v;
    return 0;
}

void keycmd_argv_free(char **argv)
{
    if (!argv)
        return;
    for (char **p = argv; *p; p++)
        free(*p);
    free(argv);
}

char *keycmd_describe(const char *cmd)
{
    char **argv;
    if (keycmd_split(cmd, &argv, NULL) != 0)
        return xstrdup("(a command that cannot be parsed)");
    buf_t b = BUF_INIT;
    sanitize_append(&b, argv[0], strlen(argv[0]), 0);
    if (argv[1])
        buf_append_str(&b, " ...");
    keycmd_argv_free(argv);
    return buf_steal(&b);
}

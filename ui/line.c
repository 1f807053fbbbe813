/* line.c: what a finished input line does (a command, the text of a
 * draft being edited, or a message), and the candidates for completion. */
#include "config.h"
#include "cmds.h"
#include "callpane.h"
#include "day.h"
#include "ui.h"

#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

static const char *const no_cands[] = {NULL};

const char *const *console_candidates(void *ud, cmd_arg kind, size_t *n)
{
    ui *u = ud;
    static char **scratch;
    static size_t nscratch;
    for (size_t i = 0; i < nscratch; i++)
        free(scratch[i]);
    free(scratch);
    scratch = NULL;
    nscratch = 0;
    *n = 0;
    switch (kind) {
    case ARG_MODEL:
        return desk_models(u->desk, n);
    case ARG_CONV:
    case ARG_CLIENT: {
        scratch = xcalloc(u->m->nconvs * 2 + 1, sizeof *scratch);
        for (size_t i = 0; i < u->m->nconvs; i++) {
            const conv *c = u->m->convs[i];
            if (kind == ARG_CONV)
                scratch[nscratch++] = xstrdup(c->id);
            if (c->title && strcmp(c->title, c->id))
                scratch[nscratch++] = xstrdup(c->title);
        }
        *n = nscratch;
        return (const char *const *)scratch;
    }
    case ARG_DRAFT:
        /* Ids, as the queue shows them: they mean the same draft however
         * the queue moves. */
        return drafts_ids(u, n);
    case ARG_THEME: {
        static const char *const themes[] = {"default", "light", "high-contrast", "monochrome"};
        *n = 4;
        return themes;
    }
    default:
        return no_cands;
    }
}

void console_submit(ui *u, const char *line)
{
    char *id = line_take_edit(u);
    if (id) {
        /* The draft the edit started from, whatever the queue did since:
         * gone, the desk says so and nothing is sent. Unknown here, the
         * text goes as typed and the server decides. */
        const draft *d = model_find_draft(u->m, id);
        if (*line)
            desk_approve_id(u->desk, id, !d || strcmp(line, d->content) ? line : NULL);
        free(id);
        return;
    }
    if (call_take_line(u, line))
        return; /* the call view is shown: what is typed is said */
    if (line[0] == '/' && line[1] != '/') {
        console_command(u, line);
        return;
    }
    const char *text = line[0] == '/' ? line + 1 : line; /* "//" sends a slash */
    if (!*line && sidebar_on_group(u)) {
        sidebar_toggle_group(u); /* Enter on the "ended (N)" row */
        return;
    }
    if (!*text)
        return;
    if (u->cur_cmp) {
        compare_submit(u, text);
        return;
    }
    if (!u->cur) {
        desk_flash(u->desk, true, "pick a conversation first (/chat, /new, /open, or the sidebar)");
        line_refill(u, line); /* keep what was typed */
        return;
    }
    convui *cu = ui_convui(u, u->cur);
    desk_send(u->desk, u->cur, text, cu->as_agent);
    scroll_end(&cu->sc);
}


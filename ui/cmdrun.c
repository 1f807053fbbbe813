/* cmdrun.c: what the slash commands do, and what a finished input line
 * does (a command, an edited draft, or a message). */
#include "config.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/export.h"
#include "util/mem.h"
#include "view/commands.h"

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
        return app_models(u->app, n);
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
    case ARG_DRAFT: {
        /* Ids, as the queue shows them: they mean the same draft however
         * the queue moves. */
        scratch = xcalloc(u->queue.n + 1, sizeof *scratch);
        for (size_t i = 0; i < u->queue.n; i++)
            scratch[nscratch++] = xstrdup(u->queue.rows[i].draft_id);
        *n = nscratch;
        return (const char *const *)scratch;
    }
    case ARG_THEME: {
        static const char *const themes[] = {"default", "light", "high-contrast", "monochrome"};
        *n = 4;
        return themes;
    }
    default:
        return no_cands;
    }
}

void console_line_opened(ui *u)
{
    dq_copy(&u->queue_cmd, &u->queue);
}

/* The id of the draft a command means: the one its first word names when
 * named (an id, or a row number read against the queue as it was when the
 * line was opened, see dq_resolve), else the one selected then. NULL (and
 * said why) when none. A row that moved while the line was typed is not
 * guessed: the line comes back naming, by id, the draft the row showed
 * when typing began, for the person to confirm with Enter or change. */
static const char *pick_draft(ui *u, const cmd_parsed *p, bool named)
{
    if (named) {
        char *err = NULL;
        const char *meant = NULL;
        const char *id = dq_resolve(&u->queue_cmd, &u->queue, p->argv[0], &meant, &err);
        if (id)
            return id;
        if (meant) {
            free(u->refill);
            u->refill = xasprintf("/%s %s%s", p->def->name, meant, p->rest + strcspn(p->rest, " \t"));
        }
        app_flash(u->app, true, "%s; nothing was sent", err);
        free(err);
        return NULL;
    }
    const dq_row *row = dq_selected(&u->queue_cmd);
    if (!row)
        app_flash(u->app, true, "no pending drafts");
    return row ? row->draft_id : NULL;
}

void console_edit_draft(ui *u, const char *draft_id)
{
    const draft *d = model_find_draft(u->m, draft_id);
    char *why = app_draft_why_not(u->app, draft_id);
    if (why || !d) {
        app_flash(u->app, true, "that draft %s; there is nothing to edit",
                  why ? why : "is not in the queue");
        free(why);
        return;
    }
    char *id = xstrdup(draft_id); /* draft_id may be the one being replaced */
    free(u->editing_draft);
    u->editing_draft = id;
    u->editing_told = false;
    input_set_text(u, d->content);
    u->focus = FOCUS_INPUT;
    app_flash(u->app, false, "edit the draft; Enter approves it, Esc gives up");
}

void console_drafts_watch(ui *u)
{
    if (!u->editing_draft || u->editing_told || model_find_draft(u->m, u->editing_draft))
        return;
    char *why = app_draft_why_not(u->app, u->editing_draft);
    if (!why)
        return;
    app_flash(u->app, true, "the draft being edited %s; Enter sends nothing", why);
    free(why);
    u->editing_told = true;
}

static conv *need_workspace(ui *u)
{
    if (!u->cur || u->cur->kind != CONV_WORKSPACE) {
        app_flash(u->app, true, "this needs a workspace: pick one on the left, or /new or /open one");
        return NULL;
    }
    return u->cur;
}

static void cmd_new(ui *u, const cmd_parsed *p)
{
    app_ws_params wp = {0};
    const char **ctx = xcalloc((size_t)p->argc, sizeof *ctx);
    wp.context = ctx;
    wp.client_id = p->argv[0];
    for (int i = 1; i < p->argc; i++) {
        const char *a = p->argv[i];
        if (!strcmp(a, "-s") && i + 1 < p->argc) {
            wp.system_prompt = p->argv[++i];
        } else if (!strcmp(a, "-m") && i + 1 < p->argc) {
            wp.initial_message = p->argv[++i];
        } else if (!strcmp(a, "--model") && i + 1 < p->argc) {
            wp.model = p->argv[++i];
        } else if (!strcmp(a, "--max-tokens") && i + 1 < p->argc) {
            wp.max_tokens = p->argv[++i];
        } else if (ai_mode_from_string(a) != AI_MODE_UNKNOWN && !wp.mode) {
            wp.mode = a;
        } else if (strchr(a, '=')) {
            ctx[wp.ncontext++] = a;
        } else {
            app_flash(u->app, true, "/new: what is '%s'? usage: /new %s", a,
                      cmd_find("new")->usage);
            free(ctx);
            return;
        }
    }
    char *err = NULL;
    if (!app_create_workspace(u->app, &wp, &err)) {
        app_flash(u->app, true, "/new: %s", err);
        free(err);
    } else {
        app_flash(u->app, false, "creating workspace %s...", wp.client_id);
    }
    free(ctx);
}

static conv *find_conv(ui *u, const char *what)
{
    conv *c = model_find(u->m, what);
    for (size_t i = 0; !c && i < u->m->nconvs; i++)
        if (u->m->convs[i]->title && !strcmp(u->m->convs[i]->title, what))
            c = u->m->convs[i];
    return c;
}

static void cmd_save(ui *u, const cmd_parsed *p)
{
    if (u->cur_cmp && (!strcmp(p->argv[0], "md") || !strcmp(p->argv[0], "json"))) {
        char *path = NULL, *err = NULL;
        if (compare_export(u->cur_cmp->c, !strcmp(p->argv[0], "json") ? EXPORT_JSON : EXPORT_MARKDOWN,
                           p->argc > 1 ? p->argv[1] : NULL, &path, &err) != 0) {
            app_flash(u->app, true, "/save: %s", err);
            free(err);
        } else {
            app_flash(u->app, false, "saved the comparison to %s", path);
            free(path);
        }
        return;
    }
    if (!u->cur) {
        app_flash(u->app, true, "nothing to save: open a conversation first");
        return;
    }
    bool json = !strcmp(p->argv[0], "json");
    if (!json && strcmp(p->argv[0], "md")) {
        app_flash(u->app, true, "/save: the format is md or json");
        return;
    }
    char *path = NULL, *err = NULL;
    if (export_conv(u->cur, json ? EXPORT_JSON : EXPORT_MARKDOWN, p->argc > 1 ? p->argv[1] : NULL,
                    &path, &err) != 0) {
        app_flash(u->app, true, "/save: %s", err);
        free(err);
        return;
    }
    app_flash(u->app, false, "saved to %s", path);
    free(path);
}

void console_command(ui *u, const char *line)
{
    cmd_parsed p;
    char *err = NULL;
    if (cmd_parse(line, &p, &err) != 0) {
        app_flash(u->app, true, "%s", err);
        free(err);
        return;
    }
    conv *c;
    const char *id;
    switch (p.def->id) {
    case CMD_HELP:
        u->focus = FOCUS_HELP;
        u->help_top = 0;
        break;
    case CMD_QUIT:
        u->quit = true;
        break;
    case CMD_NEW:
        cmd_new(u, &p);
        break;
    case CMD_OPEN:
        app_find_workspace(u->app, p.argv[0]);
        break;
    case CMD_GO:
        if ((c = find_conv(u, p.rest)))
            ui_select(u, c);
        else /* it may have left memory (core/model.h): ask the server */
            app_find_by_name(u->app, p.rest);
        break;
    case CMD_END:
        if ((c = need_workspace(u)))
            app_end_workspace(u->app, c);
        break;
    case CMD_MODE:
        if ((c = need_workspace(u))) {
            ai_mode mode = ai_mode_from_string(p.argv[0]);
            if (mode == AI_MODE_UNKNOWN)
                app_flash(u->app, true, "/mode: use ai, shadow or takeover");
            else
                app_set_mode(u->app, c, mode);
        }
        break;
    case CMD_TAKEOVER:
        if ((c = need_workspace(u))) {
            app_set_mode(u->app, c, AI_MODE_TAKEOVER);
            ui_convui(u, c)->as_agent = true;
        }
        break;
    case CMD_HANDBACK:
        if ((c = need_workspace(u)))
            app_set_mode(u->app, c, AI_MODE_AI);
        break;
    case CMD_AS:
        if ((c = need_workspace(u))) {
            if (!strcmp(p.argv[0], "agent") || !strcmp(p.argv[0], "customer")) {
                ui_convui(u, c)->as_agent = !strcmp(p.argv[0], "agent");
                app_flash(u->app, false, "you now speak as the %s in %s", p.argv[0], c->title);
            } else {
                app_flash(u->app, true, "/as: customer or agent");
            }
        }
        break;
    case CMD_DRAFTS:
        u->focus = FOCUS_DRAFTS;
        break;
    case CMD_APPROVE:
        if ((id = pick_draft(u, &p, p.argc > 0)))
            app_approve_id(u->app, id, NULL);
        break;
    case CMD_EDIT:
        if ((id = pick_draft(u, &p, p.argc > 0)))
            console_edit_draft(u, id);
        break;
    case CMD_REJECT: {
        /* The first word names the draft when it looks like one (an id, a
         * row number); otherwise it starts the reason. */
        bool named = p.argc >= 1 && dq_is_ref(&u->queue_cmd, &u->queue, u->m, p.argv[0]);
        if ((id = pick_draft(u, &p, named))) {
            const char *reason = p.rest;
            if (named) {
                reason = p.rest + strcspn(p.rest, " \t"); /* past the first word */
                while (*reason == ' ' || *reason == '\t')
                    reason++;
            }
            app_reject_id(u->app, id, *reason ? reason : NULL);
        }
        break;
    }
    case CMD_CHAT:
        c = app_new_chat(u->app, p.argc ? p.argv[0] : NULL);
        ui_select(u, c);
        break;
    case CMD_MODEL:
        if (!u->cur || u->cur->kind != CONV_CHAT)
            app_flash(u->app, true, "/model works in a chat (start one with /chat)");
        else {
            app_set_chat_model(u->app, u->cur, p.argv[0]);
            app_flash(u->app, false, "this chat now talks to %s", p.argv[0]);
        }
        break;
    case CMD_CANCEL:
        if (u->cur_cmp) {
            if (!compare_cancel(u->cur_cmp->c, -1))
                app_flash(u->app, false, "nothing is running in this comparison");
        } else if (!u->cur || !app_cancel_stream(u->app, u->cur)) {
            app_flash(u->app, false, "nothing is streaming here");
        }
        break;
    case CMD_RETRY: {
        msg *last = NULL;
        for (size_t i = u->cur ? u->cur->nmsgs : 0; i > 0 && !last; i--) {
            msg *mm = u->cur->msgs[i - 1];
            if (mm->state == MSG_UNSENT || mm->state == MSG_UNCERTAIN)
                last = mm;
        }
        if (!last || !app_retry(u->app, u->cur, last))
            app_flash(u->app, false, "there is no unsent message here");
        break;
    }
    case CMD_SAVE:
        cmd_save(u, &p);
        break;
    case CMD_SEARCH:
        free(u->search);
        u->search = xstrdup(p.rest);
        if (!convpane_search(u, u->search, false))
            app_flash(u->app, true, "not found: %s", u->search);
        break;
    case CMD_FILTER: {
        ai_mode f = ai_mode_from_string(p.argv[0]);
        if (f == AI_MODE_UNKNOWN && strcmp(p.argv[0], "all")) {
            app_flash(u->app, true, "/filter: all, ai, shadow or takeover");
            break;
        }
        u->filter = f;
        ui_rebuild_sorted(u);
        break;
    }
    case CMD_THEME: {
        char *terr = NULL;
        theme_t *t = console_load_theme(p.argv[0], &terr);
        if (!t) {
            app_flash(u->app, true, "/theme: %s", terr);
            free(terr);
        } else {
            ui_apply_theme(u, t);
            clearok(curscr, TRUE);
        }
        break;
    }
    case CMD_RELOAD:
        app_reload(u->app);
        break;
    case CMD_CLOSE:
        if (u->cur && u->cur->kind == CONV_CHAT) {
            conv *gone = u->cur;
            app_cancel_stream(u->app, gone);
            ui_select(u, NULL);
            model_remove(u->m, gone);
            ui_rebuild_sorted(u);
            ui_select(u, u->nsorted ? u->sorted[0] : NULL);
        } else {
            app_flash(u->app, true, "/close closes chats; workspaces end with /end");
        }
        break;
    case CMD_GATE:
        gate_command(u, &p);
        break;
    case CMD_COMPARE:
    case CMD_RERUN:
    case CMD_VOTE:
    case CMD_ZOOM:
    case CMD_CONTINUE:
    case CMD_REOPEN:
        compare_command(u, p.def->id, &p);
        break;
    case CMD_COUNT:
        break;
    }
    cmd_parsed_free(&p);
}

void console_submit(ui *u, const char *line)
{
    if (u->editing_draft) {
        /* The draft the edit started from, whatever the queue did since:
         * gone, the app says so and nothing is sent. Unknown here, the
         * text goes as typed and the server decides. */
        char *id = u->editing_draft;
        u->editing_draft = NULL;
        u->editing_told = false;
        const draft *d = model_find_draft(u->m, id);
        if (*line)
            app_approve_id(u->app, id, !d || strcmp(line, d->content) ? line : NULL);
        free(id);
        return;
    }
    if (line[0] == '/' && line[1] != '/') {
        console_command(u, line);
        return;
    }
    const char *text = line[0] == '/' ? line + 1 : line; /* "//" sends a slash */
    if (!*text)
        return;
    if (u->cur_cmp) {
        compare_submit(u, text);
        return;
    }
    if (!u->cur) {
        app_flash(u->app, true, "pick a conversation first (/chat, /new, /open, or the sidebar)");
        free(u->refill);
        u->refill = xstrdup(line); /* keep what was typed */
        return;
    }
    convui *cu = ui_convui(u, u->cur);
    app_send(u->app, u->cur, text, cu->as_agent);
    scroll_end(&cu->sc);
}


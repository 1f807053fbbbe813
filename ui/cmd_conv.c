/* cmd_conv.c: the commands about conversations: workspaces (/new,
 * /open, /go, /end, /mode, /takeover, /handback, /as, /again), chats
 * (/chat, /model, /close), what is in them (/cancel, /retry, /save) and
 * taking back what is still in its undo window (/undo, F8). */
#include "config.h"
#include "cmds.h"
#include "day.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/export.h"
#include "core/order.h"
#include "util/buf.h"
#include "util/mem.h"

static conv *need_workspace(ui *u)
{
    if (!u->cur || u->cur->kind != CONV_WORKSPACE) {
        app_flash(u->app, true, "this needs a workspace: pick one on the left, or /new or /open one");
        return NULL;
    }
    return u->cur;
}

void uicmd_new(ui *u, const cmd_parsed *p)
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

void uicmd_open(ui *u, const cmd_parsed *p)
{
    app_find_workspace(u->app, p->argv[0]);
}

void uicmd_go(ui *u, const cmd_parsed *p)
{
    size_t nmatch = 0;
    conv *c = model_lookup(u->m, p->rest, &nmatch);
    if (c) {
        ui_select(u, c);
        if (nmatch > 1)
            app_flash(u->app, false, "%zu conversations are called %s: this is the %s one (/go ID for another)",
                      nmatch, p->rest, c->ended ? "most recent" : "live");
        return;
    }
    compare_t *k = app_find_compare(u->app, p->rest);
    if (k)
        ui_select_cmp(u, ui_cmpui(u, k));
    else if (nmatch > 1)
        app_flash(u->app, true, "%zu conversations start with %s: type more of the name (Tab lists them)",
                  nmatch, p->rest);
    else /* it may have left memory (core/model.h): ask the server */
        app_find_by_name(u->app, p->rest);
}

/* Ending cannot be taken back: /end asks first, by giving the line back
 * as "/end! NAME" (the workspace by name, whatever is selected when Enter
 * is pressed); /end! ends at once. */
void uicmd_end(ui *u, const cmd_parsed *p)
{
    conv *c;
    if (p->argc) {
        c = model_lookup(u->m, p->rest, NULL);
        if (!c || c->kind != CONV_WORKSPACE) {
            app_flash(u->app, true, "/end: no workspace called %s here", p->rest);
            return;
        }
    } else if (!(c = need_workspace(u))) {
        return;
    }
    const char *name = c->title ? c->title : c->id;
    if (c->ended) {
        app_flash(u->app, true, "%s has ended already", name);
        return;
    }
    if (!p->bang) {
        char *again = xasprintf("/end! %s", c->id);
        line_refill(u, again);
        free(again);
        app_flash(u->app, true, "end %s? its customer can write no more: Enter ends it, Ctrl-C keeps it", name);
        return;
    }
    app_end_workspace(u->app, c);
}

void uicmd_mode(ui *u, const cmd_parsed *p)
{
    conv *c = need_workspace(u);
    if (!c)
        return;
    ai_mode mode = ai_mode_from_string(p->argv[0]);
    if (mode == AI_MODE_UNKNOWN)
        app_flash(u->app, true, "/mode: use ai, shadow or takeover");
    else
        app_set_mode(u->app, c, mode);
}

void uicmd_takeover(ui *u, const cmd_parsed *p)
{
    (void)p;
    conv *c = need_workspace(u);
    if (!c)
        return;
    if (c->mode != AI_MODE_TAKEOVER && c->mode != AI_MODE_UNKNOWN)
        app_flash(u->app, false, "taking over %s (it was in %s mode: /handback returns it there)",
                  c->title ? c->title : c->id, ai_mode_name(c->mode));
    app_set_mode(u->app, c, AI_MODE_TAKEOVER);
    ui_convui(u, c)->as_agent = true;
}

void uicmd_handback(ui *u, const cmd_parsed *p)
{
    (void)p;
    conv *c = need_workspace(u);
    if (!c)
        return;
    ai_mode back = app_mode_before_takeover(u->app, c);
    if (c->mode == AI_MODE_TAKEOVER && back != AI_MODE_UNKNOWN)
        app_flash(u->app, false, "handing %s back to %s mode, the one it had before the takeover",
                  c->title ? c->title : c->id, ai_mode_name(back));
    app_handback(u->app, c); /* says itself when that mode is not known */
}

void uicmd_again(ui *u, const cmd_parsed *p)
{
    conv *c = need_workspace(u);
    if (c)
        app_ask_ai_again(u->app, c, *p->rest ? p->rest : NULL);
}

void day_undo(ui *u, bool from_line)
{
    char *text = NULL;
    if (!app_undo(u->app, 0, &text)) {
        app_flash(u->app, false, "nothing to undo: no approval or reply is counting down");
        return;
    }
    /* A reply taken back comes back to the line, to be changed or dropped. */
    if (text && from_line)
        line_refill(u, text);
    else if (text && input_empty())
        input_set_text(u, text);
    free(text);
}

void uicmd_undo(ui *u, const cmd_parsed *p)
{
    (void)p;
    day_undo(u, true);
}

void uicmd_as(ui *u, const cmd_parsed *p)
{
    conv *c = need_workspace(u);
    if (!c)
        return;
    if (!strcmp(p->argv[0], "agent") || !strcmp(p->argv[0], "customer")) {
        ui_convui(u, c)->as_agent = !strcmp(p->argv[0], "agent");
        app_flash(u->app, false, "you now speak as the %s in %s", p->argv[0], c->title);
    } else {
        app_flash(u->app, true, "/as: customer or agent");
    }
}

void uicmd_chat(ui *u, const cmd_parsed *p)
{
    ui_select(u, app_new_chat(u->app, p->argc ? p->argv[0] : NULL));
}

void uicmd_model(ui *u, const cmd_parsed *p)
{
    if (!u->cur || u->cur->kind != CONV_CHAT) {
        app_flash(u->app, true, "/model works in a chat (start one with /chat)");
        return;
    }
    app_set_chat_model(u->app, u->cur, p->argv[0]);
    app_flash(u->app, false, "this chat now talks to %s", p->argv[0]);
}

void uicmd_close(ui *u, const cmd_parsed *p)
{
    (void)p;
    if (!u->cur || u->cur->kind != CONV_CHAT) {
        app_flash(u->app, true, "/close closes chats; workspaces end with /end");
        return;
    }
    conv *gone = u->cur;
    app_cancel_stream(u->app, gone);
    ui_select(u, NULL);
    model_remove(u->m, gone);
    sidebar_rebuild(u);
    ui_select(u, sidebar_first(u));
}

void uicmd_cancel(ui *u, const cmd_parsed *p)
{
    (void)p;
    if (u->cur_cmp) {
        if (!compare_cancel(u->cur_cmp->c, -1))
            app_flash(u->app, false, "nothing is running in this comparison");
    } else if (!u->cur || !app_cancel_stream(u->app, u->cur)) {
        app_flash(u->app, false, "nothing is streaming here");
    }
}

void uicmd_retry(ui *u, const cmd_parsed *p)
{
    (void)p;
    msg *last = NULL;
    for (size_t i = u->cur ? u->cur->nmsgs : 0; i > 0 && !last; i--) {
        msg *mm = u->cur->msgs[i - 1];
        if (mm->state == MSG_UNSENT || mm->state == MSG_UNCERTAIN)
            last = mm;
    }
    if (!last || !app_retry(u->app, u->cur, last))
        app_flash(u->app, false, "there is no unsent message here");
}

void uicmd_save(ui *u, const cmd_parsed *p)
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

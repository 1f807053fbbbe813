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

#include "export/export.h"
#include "model/order.h"
#include "util/buf.h"
#include "util/mem.h"

static conv *need_workspace(ui *u)
{
    if (!u->cur || u->cur->kind != CONV_WORKSPACE) {
        desk_flash(u->desk, true, "this needs a workspace: pick one on the left, or /new or /open one");
        return NULL;
    }
    return u->cur;
}

void uicmd_new(ui *u, const cmd_parsed *p)
{
    desk_ws_params wp = {0};
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
            desk_flash(u->desk, true, "/new: what is '%s'? usage: /new %s", a,
                      cmd_find("new")->usage);
            free(ctx);
            return;
        }
    }
    char *err = NULL;
    if (!desk_create_workspace(u->desk, &wp, &err)) {
        desk_flash(u->desk, true, "/new: %s", err);
        free(err);
    } else {
        desk_flash(u->desk, false, "creating workspace %s...", wp.client_id);
    }
    free(ctx);
}

void uicmd_open(ui *u, const cmd_parsed *p)
{
    desk_find_workspace(u->desk, p->argv[0]);
}

void uicmd_go(ui *u, const cmd_parsed *p)
{
    size_t nmatch = 0;
    conv *c = model_lookup(u->m, p->rest, &nmatch);
    if (c) {
        ui_select(u, c);
        if (nmatch > 1)
            desk_flash(u->desk, false, "%zu conversations are called %s: this is the %s one (/go ID for another)",
                      nmatch, p->rest, c->ended ? "most recent" : "live");
        return;
    }
    compare_t *k = desk_find_compare(u->desk, p->rest);
    if (k)
        ui_select_cmp(u, ui_cmpui(u, k));
    else if (nmatch > 1)
        desk_flash(u->desk, true, "%zu conversations start with %s: type more of the name (Tab lists them)",
                  nmatch, p->rest);
    else /* it may have left memory (model/model.h): ask the server */
        desk_find_by_name(u->desk, p->rest);
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
            desk_flash(u->desk, true, "/end: no workspace called %s here", p->rest);
            return;
        }
    } else if (!(c = need_workspace(u))) {
        return;
    }
    const char *name = c->title ? c->title : c->id;
    if (c->ended) {
        desk_flash(u->desk, true, "%s has ended already", name);
        return;
    }
    if (!p->bang) {
        char *again = xasprintf("/end! %s", c->id);
        line_refill(u, again);
        free(again);
        desk_flash(u->desk, true, "end %s? its customer can write no more: Enter ends it, Ctrl-C keeps it", name);
        return;
    }
    desk_end_workspace(u->desk, c);
}

void uicmd_mode(ui *u, const cmd_parsed *p)
{
    conv *c = need_workspace(u);
    if (!c)
        return;
    ai_mode mode = ai_mode_from_string(p->argv[0]);
    if (mode == AI_MODE_UNKNOWN)
        desk_flash(u->desk, true, "/mode: use ai, shadow or takeover");
    else
        desk_set_mode(u->desk, c, mode);
}

void uicmd_takeover(ui *u, const cmd_parsed *p)
{
    (void)p;
    conv *c = need_workspace(u);
    if (!c)
        return;
    if (c->mode != AI_MODE_TAKEOVER && c->mode != AI_MODE_UNKNOWN)
        desk_flash(u->desk, false, "taking over %s (it was in %s mode: /handback returns it there)",
                  c->title ? c->title : c->id, ai_mode_name(c->mode));
    desk_set_mode(u->desk, c, AI_MODE_TAKEOVER);
    ui_convui(u, c)->as_agent = true;
}

void uicmd_handback(ui *u, const cmd_parsed *p)
{
    (void)p;
    conv *c = need_workspace(u);
    if (!c)
        return;
    ai_mode back = desk_mode_before_takeover(u->desk, c);
    if (c->mode == AI_MODE_TAKEOVER && back != AI_MODE_UNKNOWN)
        desk_flash(u->desk, false, "handing %s back to %s mode, the one it had before the takeover",
                  c->title ? c->title : c->id, ai_mode_name(back));
    desk_handback(u->desk, c); /* says itself when that mode is not known */
}

void uicmd_again(ui *u, const cmd_parsed *p)
{
    conv *c = need_workspace(u);
    if (c)
        desk_ask_ai_again(u->desk, c, *p->rest ? p->rest : NULL);
}

void day_undo(ui *u, bool from_line)
{
    char *text = NULL;
    if (!desk_undo(u->desk, 0, &text)) {
        desk_flash(u->desk, false, "nothing to undo: no approval or reply is counting down");
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
        desk_flash(u->desk, false, "you now speak as the %s in %s", p->argv[0], c->title);
    } else {
        desk_flash(u->desk, true, "/as: customer or agent");
    }
}

void uicmd_chat(ui *u, const cmd_parsed *p)
{
    ui_select(u, desk_new_chat(u->desk, p->argc ? p->argv[0] : NULL));
}

void uicmd_model(ui *u, const cmd_parsed *p)
{
    if (!u->cur || u->cur->kind != CONV_CHAT) {
        desk_flash(u->desk, true, "/model works in a chat (start one with /chat)");
        return;
    }
    desk_set_chat_model(u->desk, u->cur, p->argv[0]);
    desk_flash(u->desk, false, "this chat now talks to %s", p->argv[0]);
}

void uicmd_close(ui *u, const cmd_parsed *p)
{
    (void)p;
    if (!u->cur || u->cur->kind != CONV_CHAT) {
        desk_flash(u->desk, true, "/close closes chats; workspaces end with /end");
        return;
    }
    conv *gone = u->cur;
    desk_cancel_stream(u->desk, gone);
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
            desk_flash(u->desk, false, "nothing is running in this comparison");
    } else if (!u->cur || !desk_cancel_stream(u->desk, u->cur)) {
        desk_flash(u->desk, false, "nothing is streaming here");
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
    if (!last || !desk_retry(u->desk, u->cur, last))
        desk_flash(u->desk, false, "there is no unsent message here");
}

void uicmd_save(ui *u, const cmd_parsed *p)
{
    if (u->cur_cmp && (!strcmp(p->argv[0], "md") || !strcmp(p->argv[0], "json"))) {
        char *path = NULL, *err = NULL;
        if (compare_export(u->cur_cmp->c, !strcmp(p->argv[0], "json") ? EXPORT_JSON : EXPORT_MARKDOWN,
                           p->argc > 1 ? p->argv[1] : NULL, &path, &err) != 0) {
            desk_flash(u->desk, true, "/save: %s", err);
            free(err);
        } else {
            desk_flash(u->desk, false, "saved the comparison to %s", path);
            free(path);
        }
        return;
    }
    if (!u->cur) {
        desk_flash(u->desk, true, "nothing to save: open a conversation first");
        return;
    }
    bool json = !strcmp(p->argv[0], "json");
    if (!json && strcmp(p->argv[0], "md")) {
        desk_flash(u->desk, true, "/save: the format is md or json");
        return;
    }
    desk_save(u->desk, u->cur, json, p->argc > 1 ? p->argv[1] : NULL);
}
